"""The consultation API contract: slots, booking (409 when taken), cancel, my consultations."""

from datetime import timedelta

from booking.accounts.services import issue_api_token
from booking.consultations.catalogue import theme_by_slug
from booking.consultations.models import Consultation
from booking.consultations.slots import free_slots
from booking.extensions import db
from booking.timefmt import now_utc


def _future_slot(advisor):
    """A real free slot about ten days ahead (the API uses the real clock)."""
    now = now_utc()
    slots = free_slots(
        theme_by_slug("management"),
        now + timedelta(days=10),
        now + timedelta(days=20),
        now,
        advisor_id=advisor.id,
        channel_slug="online",
    )
    return slots[0].start


def _auth(user):
    token = issue_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _q(start, end, **kw):
    return {"from": start.isoformat(), "to": end.isoformat(), **kw}


def test_slots_answer_the_contract_shape(client, make_advisor, member):
    advisor = make_advisor()
    response = client.get(
        "/api/v1/consultations/slots", query_string={"theme": "management"}, headers=_auth(member)
    )
    assert response.status_code == 200
    first = response.json["items"][0]
    assert set(first) == {"advisor", "start", "end", "channel", "branch"}
    assert first["advisor"] == advisor.id and first["start"].endswith("+09:00")


def test_slots_need_a_known_theme_and_sane_times(client, make_advisor, member):
    make_advisor()
    headers = _auth(member)
    for query, status in (
        ({"theme": "nope"}, 404),
        ({"theme": "management", "from": "x"}, 422),
        ({"theme": "management", "advisor": "x"}, 422),
        ({"theme": "management", "branch": "nowhere"}, 422),
    ):
        response = client.get("/api/v1/consultations/slots", query_string=query, headers=headers)
        assert response.status_code == status, query
        assert set(response.json["error"]) == {"code", "message"}


def test_booking_then_the_same_slot_again_is_409(client, make_advisor, member, make_user):
    advisor = make_advisor()
    slot = client.get(
        "/api/v1/consultations/slots", query_string={"theme": "management"}, headers=_auth(member)
    ).json["items"][3]
    body = {
        "advisor": slot["advisor"],
        "start": slot["start"],
        "theme": "management",
        "channel": slot["channel"],
        "topic": "資金繰りの相談",
    }
    response = client.post("/api/v1/consultations", json=body, headers=_auth(member))
    assert response.status_code == 201 and response.json["advisor"] == advisor.id
    again = client.post("/api/v1/consultations", json=body, headers=_auth(make_user("member")))
    assert again.status_code == 409 and again.json["error"]["code"] == "slot_taken"
    assert db.session.query(Consultation).count() == 1


def test_malformed_bodies_are_4xx_never_500(client, make_advisor, member):
    make_advisor()
    headers = _auth(member)
    for body in (
        {},
        {"theme": 3},
        {"theme": "management", "start": 5},
        {"theme": "management", "start": "2026-13-01T10:00"},
        {"theme": "management", "start": "2030-01-01T10:00+09:00", "channel": [1]},
        {"theme": "management", "start": "2030-01-01T10:00+09:00", "advisor": {"a": 1}},
        {"theme": "management", "start": "2030-01-01T10:00+09:00", "answers": []},
        {"theme": "management", "start": "2030-01-01T10:00+09:00", "topic": 1},
    ):
        response = client.post("/api/v1/consultations", json=body, headers=headers)
        assert 400 <= response.status_code < 500, body


def test_someone_elses_consultation_answers_404(client, make_advisor, member, make_user, book):
    advisor = make_advisor()
    c = book(member, _future_slot(advisor), advisor, now=now_utc())
    response = client.delete(f"/api/v1/consultations/{c.id}", headers=_auth(make_user("member")))
    assert response.status_code == 404


def test_delete_cancels_and_my_list_shows_it(client, make_advisor, member, book):
    advisor = make_advisor()
    c = book(member, _future_slot(advisor), advisor, now=now_utc())
    headers = _auth(member)
    mine = client.get("/api/v1/me/consultations", headers=headers).json["items"]
    assert [x["id"] for x in mine] == [c.id] and mine[0]["join_url"]
    assert client.delete(f"/api/v1/consultations/{c.id}", headers=headers).status_code == 204
    mine = client.get("/api/v1/me/consultations", headers=headers).json["items"]
    assert mine[0]["status"] == "cancelled"


def test_guests_get_403(client, make_advisor, make_user):
    make_advisor()
    response = client.get(
        "/api/v1/consultations/slots",
        query_string={"theme": "management"},
        headers=_auth(make_user("guest")),
    )
    assert response.status_code == 403
