"""POST /api/v1/exhibitions/<id>/entries: every outcome, its status and its body."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from booking.accounts.services import issue_api_token
from booking.api.openapi import PATHS
from booking.events.registrations import cancel_registration
from booking.exhibitions.models import Entry
from booking.extensions import db
from booking.timefmt import now_utc
from tests.clock import DOORS_OPEN
from tests.exhibitions.visitors import register


def auth(user):
    token = issue_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def fair(make_fair, clock):
    clock.move_to(DOORS_OPEN)
    return make_fair(days_ahead=0)  # today is its first day, and its doors are open


@pytest.fixture
def headers(staff):
    return auth(staff)


def _post(client, fair, headers, **body):
    return client.post(f"/api/v1/exhibitions/{fair.id}/entries", json=body, headers=headers)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Entry))


def test_entered_is_201_with_the_visitor(client, fair, headers, member):
    reg = register(fair, member)
    response = _post(client, fair, headers, **{"pass": reg.pass_token, "entrance": "東口"})
    assert response.status_code == 201, response.json
    body = response.json
    assert body["result"] == "entered" and body["entrance"] == "東口"
    assert body["day"] == fair.days[0].isoformat()
    assert body["registration"]["reference"] == reg.reference
    assert body["registration"]["kana"] == member.full_kana
    assert _count() == 1


def test_already_is_200_with_when_and_where(client, fair, headers, member):
    reg = register(fair, member)
    first = _post(client, fair, headers, **{"pass": reg.pass_token, "entrance": "東口"}).json
    again = _post(client, fair, headers, **{"pass": reg.pass_token, "entrance": "西口"})
    assert again.status_code == 200
    assert again.json["result"] == "already"
    assert again.json["entrance"] == "東口"
    assert again.json["entered_at"] == first["entered_at"]
    assert _count() == 1


def test_a_chosen_day_is_used(client, fair, headers, member):
    reg = register(fair, member)
    body = {"pass": reg.pass_token, "entrance": "西口", "day": fair.days[1].isoformat()}
    response = _post(client, fair, headers, **body)
    assert response.status_code == 201 and response.json["day"] == fair.days[1].isoformat()


def test_unknown_pass_is_404(client, fair, headers):
    response = _post(client, fair, headers, **{"pass": "nope", "entrance": "東口"})
    assert response.status_code == 404
    assert response.json["error"]["code"] == "unknown_pass"


def test_refusals_are_409_with_their_code(client, make_fair, fair, headers, make_user):
    online = register(fair, make_user("member"), online=True)
    cancelled = register(fair, make_user("member"))
    cancel_registration(cancelled, now_utc(), by_staff=True, notify=False)
    db.session.commit()
    elsewhere = register(make_fair(days_ahead=0), make_user("member"))
    fine = register(fair, make_user("member"))
    cases = [
        ({"pass": online.pass_token, "entrance": "東口"}, "online_only"),
        ({"pass": cancelled.pass_token, "entrance": "東口"}, "not_confirmed"),
        ({"pass": elsewhere.pass_token, "entrance": "東口"}, "other_event"),
        ({"pass": fine.pass_token, "entrance": "北口"}, "unknown_entrance"),
        ({"pass": fine.pass_token, "entrance": "東口", "day": "2001-01-01"}, "not_fair_day"),
    ]
    for body, code in cases:
        response = _post(client, fair, headers, **body)
        assert response.status_code == 409, (code, response.json)
        assert response.json["error"]["code"] == code
    assert _count() == 0


@pytest.mark.parametrize(
    "body",
    [{"entrance": "東口"}, {"pass": 5, "entrance": "東口"}, {"pass": "x"}, {"pass": "x", "entrance": ""},
     {"pass": "x", "entrance": "東口", "day": "tomorrow"}, {"pass": "x", "entrance": "東口", "day": 3}],
)  # fmt: skip
def test_bad_bodies_are_422(client, fair, headers, body):
    assert _post(client, fair, headers, **body).status_code == 422


def test_not_json_is_422_bad_json(client, fair, headers):
    url = f"/api/v1/exhibitions/{fair.id}/entries"
    response = client.post(url, data="x", headers=headers)
    assert response.status_code == 422 and response.json["error"]["code"] == "bad_json"


def test_tokens_and_roles(client, fair, member):
    reg = register(fair, member)
    body = {"pass": reg.pass_token, "entrance": "東口"}
    assert client.post(f"/api/v1/exhibitions/{fair.id}/entries", json=body).status_code == 401
    assert _post(client, fair, auth(member), **body).status_code == 403
    assert _count() == 0


def test_unknown_exhibition_is_404(client, headers):
    response = client.post(
        "/api/v1/exhibitions/99999/entries", json={"pass": "x", "entrance": "東口"}, headers=headers
    )
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_the_route_is_documented():
    post = PATHS["/exhibitions/{exhibition_id}/entries"]["post"]
    assert {"200", "201", "404", "409", "422"} <= set(post["responses"])
