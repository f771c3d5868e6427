"""A hybrid event's join URL reaches its online attendees only: pages, API, feed, mails.

One rule decides (`booking.events.policy.may_join`); every way out is checked here with an
in-person and an online attendee of the same event.
"""

from __future__ import annotations

import icalendar
import pytest
from sqlalchemy import select

from booking.accounts.services import issue_api_token
from booking.events.changes import cancel_event
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.notifications.hooks import build_invitation
from booking.notifications.models import OutboxMessage
from booking.timefmt import now_utc
from tests.conftest import login

JOIN = "https://meet.example.jp/j/hybrid-7f3a"


@pytest.fixture
def hybrid(make_event, make_user):
    """A hybrid event, one confirmed attendee in the room and one online."""
    event = make_event(
        format="hybrid",
        online_url=JOIN,
        frames=[
            dict(name="会場参加", capacity=10, mode="in_person"),
            dict(name="オンライン参加", capacity=10, mode="online"),
        ],
    )
    in_room, online = make_user("member"), make_user("member")
    room_reg = register_for_frame(in_room, event.id, event.frames[0].id, {}, now_utc())
    online_reg = register_for_frame(online, event.id, event.frames[1].id, {}, now_utc())
    db.session.commit()
    assert room_reg.status == online_reg.status == "confirmed"
    return event, (in_room, room_reg), (online, online_reg)


def _signed_in(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _bearer(user) -> dict:
    token = issue_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _feed(client, user) -> str:
    url = client.get("/api/v1/me/calendar", headers=_bearer(user)).json["url"]
    response = client.get("/" + url.split("/", 3)[3])
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.data).to_ical().decode()


def test_the_event_page_shows_the_join_url_to_the_online_attendee_only(app, hybrid):
    event, (in_room, _), (online, _) = hybrid
    assert JOIN not in _signed_in(app, in_room).get(f"/events/{event.id}").get_data(as_text=True)
    assert JOIN in _signed_in(app, online).get(f"/events/{event.id}").get_data(as_text=True)


def test_the_registration_page_shows_the_join_url_to_the_online_attendee_only(app, hybrid):
    _, (in_room, room_reg), (online, online_reg) = hybrid
    page = _signed_in(app, in_room).get(f"/mypage/registrations/{room_reg.id}")
    assert page.status_code == 200 and JOIN not in page.get_data(as_text=True)
    page = _signed_in(app, online).get(f"/mypage/registrations/{online_reg.id}")
    assert JOIN in page.get_data(as_text=True)


def test_the_api_gives_the_join_url_to_the_online_attendee_only(client, hybrid):
    event, (in_room, _), (online, _) = hybrid
    url = f"/api/v1/events/{event.id}"
    assert client.get(url, headers=_bearer(in_room)).json["online_url"] is None
    assert client.get(url, headers=_bearer(online)).json["online_url"] == JOIN
    [mine] = client.get("/api/v1/me/registrations", headers=_bearer(in_room)).json["items"]
    assert "online_url" not in mine
    [theirs] = client.get("/api/v1/me/registrations", headers=_bearer(online)).json["items"]
    assert theirs["online_url"] == JOIN


def test_the_api_gives_a_door_pass_to_the_attendee_in_the_room_only(client, make_event, make_user):
    """Registered through the API: the answer carries the QR pass for a seat in the room, and
    none for an online seat (there is no door), as the mail and My Page do."""
    event = make_event(format="hybrid", online_url=JOIN, frames=[
        dict(name="会場参加", capacity=10, mode="in_person"),
        dict(name="オンライン参加", capacity=10, mode="online"),
    ])  # fmt: skip
    answers = {}
    for frame in event.frames:
        person = make_user("member")
        response = client.post(f"/api/v1/events/{event.id}/registrations", headers=_bearer(person),
                               json={"frame": frame.id, "answers": {}})  # fmt: skip
        assert response.status_code == 201, response.json
        answers[frame.mode] = response.json
    assert answers["in_person"]["status"] == answers["online"]["status"] == "confirmed"
    assert answers["in_person"]["pass_token"]
    assert "pass_token" not in answers["online"]
    assert answers["online"]["online_url"] == JOIN


def test_the_private_feed_carries_the_join_url_for_the_online_attendee_only(client, hybrid):
    _, (in_room, _), (online, _) = hybrid
    assert "meet.example.jp" not in _feed(client, in_room)
    assert "meet.example.jp/j/hybrid-7f3a" in _feed(client, online)


def test_invitations_carry_the_join_url_for_the_online_attendee_only(app, hybrid):
    _, (_, room_reg), (_, online_reg) = hybrid
    assert "meet.example.jp" not in build_invitation(f"registration:{room_reg.id}", "REQUEST")
    assert "meet.example.jp" in build_invitation(f"registration:{online_reg.id}", "REQUEST")


def test_mails_and_reminders_carry_the_join_url_for_the_online_attendee_only(hybrid, sent_mail):
    _, (in_room, room_reg), (online, online_reg) = hybrid
    for reg, entitled in ((room_reg, False), (online_reg, True)):
        rows = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.about == f"registration:{reg.id}")
        ).all()
        assert rows and all(("join_url" in m.context) == entitled for m in rows), reg.id
    mails = sent_mail()
    to_room = [m for m in mails if m["To"].addresses[0].addr_spec == in_room.email]
    to_online = [m for m in mails if m["To"].addresses[0].addr_spec == online.email]
    assert to_room and to_online
    assert all("meet.example.jp" not in m.as_string() for m in to_room)
    assert any(JOIN in m.get_body(("plain",)).get_content() for m in to_online)


def test_nobody_gets_the_join_url_of_a_cancelled_event(client, hybrid, staff):
    event, _, (online, online_reg) = hybrid
    cancel_event(event, staff, now_utc())
    db.session.commit()
    assert (
        client.get(f"/api/v1/events/{event.id}", headers=_bearer(online)).json["online_url"] is None
    )
    assert "meet.example.jp" not in build_invitation(f"registration:{online_reg.id}", "CANCEL")
