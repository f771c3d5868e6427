"""Registrations appear in their person's private feed and carry invitations."""

import icalendar

from booking.accounts.services import issue_api_token
from booking.events.registrations import cancel_registration, register_for_frame
from booking.extensions import db
from booking.notifications.hooks import build_invitation
from booking.timefmt import now_utc
from tests.factories import make_event


def _feed(client, user):
    token = issue_api_token(user)
    db.session.commit()
    url = client.get("/api/v1/me/calendar", headers={"Authorization": f"Bearer {token}"}).json[
        "url"
    ]
    return icalendar.Calendar.from_ical(client.get("/" + url.split("/", 3)[3]).data)


def _register(user, event):
    reg = register_for_frame(user, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    return reg


def test_a_confirmed_online_registration_has_the_join_url_in_the_feed(app, client, member):
    event = make_event(format="online", online_url="https://meet.example.jp/j/42", mode="online")
    reg = _register(member, event)
    [ev] = _feed(client, member).walk("VEVENT")
    assert str(ev["UID"]).startswith(f"registration-{reg.id}@")
    assert str(ev["STATUS"]) == "CONFIRMED"
    assert "meet.example.jp/j/42" in ev.to_ical().decode()


def test_a_waitlisted_registration_is_tentative_without_the_join_url(app, client, make_user):
    event = make_event(
        capacity=1, format="online", online_url="https://meet.example.jp/j/9", mode="online"
    )
    _register(make_user("member"), event)
    waiting = make_user("member")
    reg = _register(waiting, event)
    assert reg.status == "waitlisted"
    [ev] = _feed(client, waiting).walk("VEVENT")
    assert str(ev["STATUS"]) == "TENTATIVE"
    assert "meet.example.jp/j/9" not in ev.to_ical().decode()


def test_cancelling_keeps_the_uid_raises_the_sequence_and_shows_cancelled(app, client, member):
    event = make_event()
    reg = _register(member, event)
    before = icalendar.Calendar.from_ical(build_invitation(f"registration:{reg.id}", "REQUEST"))
    cancel_registration(reg, now_utc())
    db.session.commit()
    after = icalendar.Calendar.from_ical(build_invitation(f"registration:{reg.id}", "CANCEL"))
    [b], [a] = before.walk("VEVENT"), after.walk("VEVENT")
    assert a["UID"] == b["UID"] and int(a["SEQUENCE"]) > int(b["SEQUENCE"])
    [ev] = _feed(client, member).walk("VEVENT")
    assert str(ev["STATUS"]) == "CANCELLED"
