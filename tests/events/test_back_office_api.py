"""The JSON API of the back office: the waitlist in order, check-in and its undo at the door.
Existing endpoints are unchanged (tests/events/test_api.py)."""

from __future__ import annotations

from datetime import timedelta

from booking.events.models import StaffAction
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import as_utc, now_utc
from tests.events.test_api import auth


def _register(user, event):
    reg = register_for_frame(user, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    return reg


def test_staff_read_the_waitlist_in_order(client, make_event, make_user, staff):
    event = make_event(capacity=1)
    _register(make_user("member"), event)
    waiting = [_register(make_user("member"), event) for _ in range(3)]
    response = client.get(f"/api/v1/events/{event.id}/waitlist", headers=auth(staff))
    assert response.status_code == 200
    items = response.json["items"]
    assert [i["id"] for i in items] == [r.id for r in waiting]
    assert [i["position"] for i in items] == [1, 2, 3]
    assert {"reference", "frame", "name", "kana", "company", "created_at"} <= set(items[0])


def test_members_and_other_units_staff_cannot_read_a_waitlist(client, make_event, make_user):
    event = make_event(unit="branch:minato")
    member = make_user("member")
    assert (
        client.get(f"/api/v1/events/{event.id}/waitlist", headers=auth(member)).status_code == 403
    )
    other = make_user("staff", unit_key="branch:chiyoda")
    assert client.get(f"/api/v1/events/{event.id}/waitlist", headers=auth(other)).status_code == 404


def test_check_in_and_undo_over_the_api(client, make_event, make_user, staff, clock):
    event = make_event()
    reg = _register(make_user("member"), event)
    early = client.post(f"/api/v1/registrations/{reg.id}/checkin", headers=auth(staff))
    assert early.status_code == 409 and early.json["error"]["code"] == "not_event_day"
    clock.move_to(as_utc(event.starts_at) - timedelta(minutes=15))
    first = client.post(f"/api/v1/registrations/{reg.id}/checkin", headers=auth(staff))
    assert first.status_code == 200 and first.json["first"] is True
    again = client.post(f"/api/v1/registrations/{reg.id}/checkin", headers=auth(staff))
    assert again.json["first"] is False
    undo = client.delete(
        f"/api/v1/registrations/{reg.id}/checkin", headers=auth(staff), json={"reason": "誤読"}
    )
    assert undo.status_code == 204 and reg.checked_in_at is None
    twice = client.delete(f"/api/v1/registrations/{reg.id}/checkin", headers=auth(staff))
    assert twice.status_code == 409
    entries = db.session.query(StaffAction).order_by(StaffAction.id).all()
    assert [(e.action, e.reason) for e in entries] == [("check_in", ""), ("undo_check_in", "誤読")]


def test_a_member_cannot_check_themselves_in(client, make_event, make_user):
    event = make_event()
    member = make_user("member")
    reg = _register(member, event)
    assert (
        client.post(f"/api/v1/registrations/{reg.id}/checkin", headers=auth(member)).status_code
        == 403
    )


def test_the_openapi_document_describes_the_new_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json
    assert "get" in doc["paths"]["/events/{event_id}/waitlist"]
    assert {"post", "delete"} <= set(doc["paths"]["/registrations/{reg_id}/checkin"])
    assert "WaitingPerson" in doc["components"]["schemas"]


def test_staff_read_the_attendees_by_furigana_with_their_check_in(
    client, make_event, make_user, staff, clock
):
    event = make_event(capacity=2)
    first = _register(make_user("member", family_kana="ワタナベ"), event)
    second = _register(make_user("member", family_kana="アベ"), event)
    waiting = _register(make_user("member", family_kana="カトウ"), event)
    clock.move_to(as_utc(event.starts_at) - timedelta(minutes=15))
    client.post(f"/api/v1/registrations/{first.id}/checkin", headers=auth(staff))
    response = client.get(f"/api/v1/events/{event.id}/attendees", headers=auth(staff))
    assert response.status_code == 200
    items = response.json["items"]
    assert [i["id"] for i in items] == [second.id, waiting.id, first.id]
    assert [i["status"] for i in items] == ["confirmed", "waitlisted", "confirmed"]
    assert items[2]["checked_in_at"] and items[0]["checked_in_at"] is None
    assert {"reference", "frame", "name", "kana", "email", "company", "member_no"} <= set(items[0])
    assert "accommodations" not in items[0] and "answers" not in items[0]
    confirmed = client.get(
        f"/api/v1/events/{event.id}/attendees?status=confirmed&sort=created", headers=auth(staff)
    )
    assert [i["id"] for i in confirmed.json["items"]] == [first.id, second.id]
    bad = client.get(f"/api/v1/events/{event.id}/attendees?status=nobody", headers=auth(staff))
    assert bad.status_code == 422 and "status" in bad.json["error"]["message"]


def test_members_and_other_units_staff_cannot_read_attendees(client, make_event, make_user):
    event = make_event(unit="branch:minato")
    member = make_user("member")
    _register(member, event)
    url = f"/api/v1/events/{event.id}/attendees"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=auth(member)).status_code == 403
    other = make_user("staff", unit_key="branch:chiyoda")
    assert client.get(url, headers=auth(other)).status_code == 404


def test_the_openapi_document_describes_the_attendee_list(client):
    doc = client.get("/api/v1/openapi.json").json
    assert "get" in doc["paths"]["/events/{event_id}/attendees"]
    assert "Attendee" in doc["components"]["schemas"]
