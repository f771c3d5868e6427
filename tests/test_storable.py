"""What the database cannot hold never reaches it: ids out of range, NUL, far-off years.

Ids in a path beyond PostgreSQL's INTEGER (or negative) match no route: 404 everywhere. Out
of range in a JSON body or query string: 422 in the API; a field message on a page. NUL (and a
lone surrogate) anywhere in a request: 422 in the API, 400 on a page, in the user's language.
"""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from booking.accounts.models import User
from booking.accounts.services import issue_api_token
from booking.consultations.catalogue import load_catalogue
from booking.demo import chamber_data
from booking.events.models import Event, Frame
from booking.extensions import db
from booking.storable import INT_MAX, db_int
from tests.conftest import login

OUT_OF_RANGE = ("2147483648", "99999999999", "99999999999999999999")


def _token(user) -> dict:
    token = issue_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _int_rules(app):
    return [r for r in app.url_map.iter_rules() if "<int:" in r.rule]


def _path(rule, value: str) -> str:
    """`rule` with each `<int:…>` set to `value` and any other argument to a harmless word."""
    path = re.sub(r"<int:\w+>", value, rule.rule)
    return re.sub(r"<(?:\w+:)?\w+>", "x", path)


# ---- ids in paths


def test_every_route_answers_404_to_an_id_beyond_the_database(app, client, make_user):
    rules = _int_rules(app)
    assert len(rules) > 50  # the API and the pages alike
    login(client, make_user("staff"))  # past any sign-in check: routing refuses first
    headers = _token(make_user("admin"))
    for rule in rules:
        for value in (*OUT_OF_RANGE, "-1"):
            path = _path(rule, value)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(path, method=method, headers=headers)
                assert response.status_code == 404, f"{method} {path}: {response.status_code}"
                if path.startswith("/api/"):
                    assert response.json["error"]["code"] == "not_found"


def test_the_largest_id_the_database_holds_still_routes(app):
    adapter = app.url_map.bind("tsunagu.test")
    assert adapter.match(f"/events/{INT_MAX}") == ("events.detail", {"event_id": INT_MAX})
    assert adapter.match(f"/api/v1/registrations/{INT_MAX}", method="DELETE")[0] == (
        "api.delete_registration"
    )
    with pytest.raises(NotFound):
        adapter.match(f"/events/{INT_MAX + 1}")


def test_pages_with_an_id_beyond_the_database_answer_the_404_page(client, member):
    login(client, member)
    for path in ("/events/99999999999", "/mypage/registrations/99999999999",
                 "/staff/events/99999999999/edit", "/exhibitions/99999999999/"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 404, path
        assert "お探しのページは見つかりませんでした" in response.get_data(as_text=True)


# ---- ids in bodies and query strings


def test_an_id_beyond_the_database_in_a_json_body_answers_422(client, member, make_event):
    event = make_event()
    response = client.post(
        f"/api/v1/events/{event.id}/registrations",
        json={"frame": 99999999999},
        headers=_token(member),
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "out_of_range"
    assert "frame" in response.json["error"]["message"]


def test_a_capacity_beyond_the_database_in_a_new_event_answers_422(client, staff):
    body = {
        "title": "セミナー", "kind": "seminar", "unit": "hq", "format": "in_person",
        "starts_at": "2030-06-01T14:00:00+09:00", "ends_at": "2030-06-01T16:00:00+09:00",
        "frames": [{"name": "会場", "capacity": 10**12}],
    }  # fmt: skip
    before = db.session.scalar(select(func.count()).select_from(Event))
    response = client.post("/api/v1/events", json=body, headers=_token(staff))
    assert response.status_code == 422
    assert response.json["error"]["code"] == "out_of_range"
    assert db.session.scalar(select(func.count()).select_from(Event)) == before


@pytest.fixture
def catalogue(app):
    load_catalogue(chamber_data())
    db.session.commit()


def test_an_advisor_id_beyond_the_database_answers_422(client, member, catalogue):
    headers = _token(member)
    response = client.get(
        "/api/v1/consultations/slots?theme=management&advisor=99999999999", headers=headers
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "bad_advisor"
    response = client.post(
        "/api/v1/consultations",
        json={"advisor": "99999999999", "start": "2030-06-03T10:00:00+09:00",
              "theme": "management", "channel": "online", "topic": "資金繰り"},
        headers=headers,
    )  # fmt: skip
    assert response.status_code == 422


def test_an_offset_beyond_the_database_answers_422(client):
    response = client.get("/api/v1/events?offset=99999999999999999999")
    assert response.status_code == 422
    assert response.json["error"]["code"] == "invalid"


def test_a_capacity_beyond_the_database_in_a_staff_form_is_a_field_message(
    client, staff, make_event
):
    event = make_event(capacity=10)
    frame = event.frames[0]
    login(client, staff)
    response = client.post(
        f"/staff/events/{event.id}/frames/{frame.id}/capacity", data={"capacity": "99999999999"}
    )
    assert response.status_code < 500
    db.session.refresh(frame)
    assert frame.capacity == 10
    response = client.post(
        "/staff/events/new", data={"title": "セミナー", "venue_capacity": "99999999999"}
    )
    assert response.status_code == 422
    assert "数値が大きすぎます" in response.get_data(as_text=True)


def test_db_int_reads_digits_and_refuses_what_no_column_holds():
    assert db_int("42") == 42
    assert db_int(" ４２ ") == 42  # full-width digits are digits
    assert db_int(INT_MAX) == INT_MAX
    for bad in ("2147483648", "-2147483649", True, "1.5", "", None, 10**20):
        with pytest.raises((ValueError, TypeError)):
            db_int(bad)


# ---- NUL and other unstorable text, one test per way in


def test_nul_in_a_json_body_answers_422_in_the_users_language(client, member):
    headers = _token(member)
    body = {"start": "2030-06-03T10:00:00+09:00", "theme": "management", "channel": "online",
            "topic": "資金繰り\u0000"}  # fmt: skip
    response = client.post("/api/v1/consultations", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "unstorable_text"
    assert "使用できない文字" in response.json["error"]["message"]
    client.set_cookie("lang", "en")
    response = client.post("/api/v1/consultations", json=body, headers=headers)
    assert "cannot be used" in response.json["error"]["message"]


def test_nul_in_a_json_key_or_nested_value_answers_422(client, staff, make_event):
    event = make_event()
    headers = _token(staff)
    for body in ({"title\u0000": "x"}, {"venue": {"name": "会場\u0000"}}, {"tags": ["a\u0000"]}):
        response = client.patch(f"/api/v1/events/{event.id}", json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.json["error"]["code"] == "unstorable_text"


def test_a_lone_surrogate_in_a_json_body_answers_422(client, staff, make_event):
    event = make_event()
    response = client.patch(
        f"/api/v1/events/{event.id}",
        data='{"title": "\\ud800"}',
        content_type="application/json",
        headers=_token(staff),
    )
    assert response.status_code == 422
    assert response.json["error"]["code"] == "unstorable_text"


def test_nul_in_an_api_query_string_answers_422(client):
    response = client.get("/api/v1/events?q=%E5%95%86%00")
    assert response.status_code == 422
    assert response.json["error"]["code"] == "unstorable_text"


def test_nul_in_a_form_answers_400_with_a_message_and_saves_nothing(client, make_user):
    before = db.session.scalar(select(func.count()).select_from(User))
    response = client.post(
        "/account/signup",
        data={"email": "new@example.jp", "password": "correct-horse-1", "family_name": "山田\x00"},
    )
    assert response.status_code == 400
    assert "使用できない文字" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == before


def test_nul_in_a_form_answers_in_english_when_english_is_chosen(client):
    client.set_cookie("lang", "en")
    response = client.post("/account/login", data={"email": "a\x00@example.jp", "password": "x"})
    assert response.status_code == 400
    assert "cannot be used" in response.get_data(as_text=True)


def test_nul_in_a_form_with_a_charset_parameter_answers_400(client):
    response = client.post(
        "/account/login",
        data="email=a%00%40example.jp&password=x",
        content_type="application/x-www-form-urlencoded; charset=utf-8",
    )
    assert response.status_code == 400


def test_nul_in_a_page_query_string_answers_400(client):
    response = client.get("/events/?q=%00")
    assert response.status_code == 400


def test_nul_in_a_path_answers_400(client):
    for path in ("/r/1-%00", "/calendar/%00abc.ics", "/consultations/m/%00"):
        assert client.get(path).status_code == 400, path


def test_nul_in_an_uploaded_file_name_answers_400(client):
    response = client.post(
        "/account/login",
        data={"email": "a@example.jp", "file": (io.BytesIO(b"x"), "logo\x00.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400


def test_text_without_nul_passes(client, staff, make_event):
    event = make_event()
    response = client.patch(
        f"/api/v1/events/{event.id}", json={"title": "新春賀詞交歓会 🎍"}, headers=_token(staff)
    )
    assert response.status_code == 200
    assert response.json["title"] == "新春賀詞交歓会 🎍"


# ---- far-off years


def test_times_outside_the_years_people_book_answer_422(client, staff, make_event):
    event = make_event()
    headers = _token(staff)
    for when in ("0006-01-01T00:01:00Z", "1032-06-16T23:36:58-12:01", "9999-12-31T23:59:00-05:00"):
        response = client.patch(
            f"/api/v1/events/{event.id}", json={"starts_at": when}, headers=headers
        )
        assert response.status_code == 422, when
    for query in ("from=0001-01-01", "to=9999-12-31"):
        assert client.get(f"/api/v1/events?{query}").status_code == 422, query
    frame = db.session.scalar(select(Frame).where(Frame.event_id == event.id))
    response = client.patch(
        f"/api/v1/events/{event.id}",
        json={"frames": [{"id": frame.id, "name": "会場", "capacity": 5, "closes_at": "0006-01-01T00:00:00Z"}]},
        headers=headers,
    )  # fmt: skip
    assert response.status_code == 422
