"""An event's frames over the API: list, add, change; the same rules as the staff pages."""

from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc
from tests.events.test_api import auth, event_body


def _event(client, staff, **over):
    response = client.post("/api/v1/events", json=event_body(**over), headers=auth(staff))
    assert response.status_code == 201, response.json
    return response.json


def test_list_add_and_change_frames(client, staff):
    event = _event(client, staff)
    listed = client.get(f"/api/v1/events/{event['id']}/frames").json["items"]
    assert [f["name"] for f in listed] == ["会場参加", "オンライン参加"]
    assert "taken" not in listed[0]  # the public sees no staff fields
    added = client.post(f"/api/v1/events/{event['id']}/frames", headers=auth(staff), json={
        "name": "学生枠", "capacity": 5, "audience": "guests", "price_label": "無料",
        "version": event["version"],
    })  # fmt: skip
    assert added.status_code == 201, added.json
    assert added.json["position"] == 2 and added.json["taken"] == 0
    changed = client.patch(f"/api/v1/events/{event['id']}/frames/{added.json['id']}",
                           headers=auth(staff), json={"capacity": 8, "closed": True})  # fmt: skip
    assert changed.status_code == 200, changed.json
    assert (changed.json["capacity"], changed.json["closed"], changed.json["state"]) == (
        8, True, "closed",
    )  # fmt: skip
    assert changed.json["name"] == "学生枠" and changed.json["audience"] == "guests"
    reopened = client.patch(f"/api/v1/events/{event['id']}/frames/{added.json['id']}",
                            headers=auth(staff), json={"closed": False})  # fmt: skip
    assert reopened.json["closed"] is False


def test_capacity_below_confirmed_is_422_and_a_rise_promotes(client, staff, make_user):
    from booking.events.models import Event

    event = _event(client, staff)
    stored = db.session.get(Event, event["id"])
    room = stored.frames[0]  # capacity 1
    first = register_for_frame(make_user("member"), stored.id, room.id, {}, now_utc())
    waiting = register_for_frame(make_user("member"), stored.id, room.id, {}, now_utc())
    db.session.commit()
    assert (first.status, waiting.status) == ("confirmed", "waitlisted")
    url = f"/api/v1/events/{event['id']}/frames/{room.id}"
    low = client.patch(url, headers=auth(staff), json={"capacity": 0})
    assert low.status_code == 422 and "確定済み" in low.json["error"]["message"]
    high = client.patch(url, headers=auth(staff), json={"capacity": 2})
    assert high.status_code == 200 and high.json["taken"] == 2
    db.session.refresh(waiting)
    assert waiting.status == "confirmed"


def test_a_stale_frame_change_is_409(client, staff):
    event = _event(client, staff)
    frame_id = event["frames"][0]["id"]
    url = f"/api/v1/events/{event['id']}/frames/{frame_id}"
    assert client.patch(url, headers=auth(staff),
                        json={"name": "A", "version": event["version"]}).status_code == 200  # fmt: skip
    stale = client.patch(url, headers=auth(staff), json={"name": "B", "version": event["version"]})
    assert stale.status_code == 409 and stale.json["error"]["code"] == "stale_version"


def test_members_and_other_units_may_not_change_frames(client, staff, member, make_user):
    event = _event(client, staff, unit="branch:chiyoda")
    url = f"/api/v1/events/{event['id']}/frames"
    assert (
        client.post(url, headers=auth(member), json={"name": "x", "capacity": 1}).status_code == 403
    )
    other = make_user("staff", unit_key="branch:minato")
    assert (
        client.post(url, headers=auth(other), json={"name": "x", "capacity": 1}).status_code == 404
    )
    assert client.post(url, json={"name": "x", "capacity": 1}).status_code == 401
    bad = client.post(url, headers=auth(staff), json={"name": "", "capacity": -1})
    assert bad.status_code == 422
