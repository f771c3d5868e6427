"""Invitations attached by the dispatcher: METHOD:REQUEST / METHOD:CANCEL for kind "event"."""

from __future__ import annotations

from datetime import timedelta

import icalendar

from booking.extensions import db
from booking.notifications.hooks import build_invitation
from booking.notifications.services import plan_message
from tests.calendars.conftest import JAPANESE_LONG
from tests.calendars.parsers import read_all


def attachment(mail) -> bytes:
    parts = [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return parts[0].get_payload(decode=True)


def plan(event, recipient: str, method: str, key: str) -> None:
    plan_message(key, recipient, "account_confirm", {"link": "http://tsunagu.test/x"},
                 about=f"event:{event.id}", invite=method)  # fmt: skip
    db.session.commit()


def test_request_invitation_has_organiser_attendee_and_the_feed_uid(
    app, make_event, member, sent_mail
):  # fmt: skip
    event = make_event(title=JAPANESE_LONG)
    plan(event, member.email, "REQUEST", "t:request")
    (mail,) = sent_mail()
    ics = attachment(mail)
    cal = icalendar.Calendar.from_ical(ics)
    vevent = cal.walk("VEVENT")[0]
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(vevent["UID"]) == f"event-{event.id}@tsunagu.test"
    assert str(vevent["ATTENDEE"]) == f"mailto:{member.email}"
    assert vevent["ATTENDEE"].params["CN"] == member.full_name
    assert str(vevent["ORGANIZER"]) == "mailto:noreply@tsunagu.example.jp"
    assert vevent["ORGANIZER"].params["CN"] == "東京商工会議所"
    assert [s for _, _, s in read_all(ics)] == [JAPANESE_LONG]
    part = next(mail.iter_attachments())
    assert part.get_param("method") == "REQUEST"


def test_cancellation_goes_out_as_method_cancel_with_a_higher_sequence(
    app, make_event, member, sent_mail
):  # fmt: skip
    event = make_event()
    plan(event, member.email, "REQUEST", "t:first")
    first = icalendar.Calendar.from_ical(attachment(sent_mail()[0])).walk("VEVENT")[0]
    event.status, event.sequence = "cancelled", event.sequence + 1
    db.session.commit()
    plan(event, member.email, "CANCEL", "t:cancel")
    cancel_mail = sent_mail()[-1]
    cal = icalendar.Calendar.from_ical(attachment(cancel_mail))
    cancelled = cal.walk("VEVENT")[0]
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["UID"] == first["UID"]
    assert int(cancelled["SEQUENCE"]) > int(first["SEQUENCE"])
    assert next(cancel_mail.iter_attachments()).get_param("method") == "CANCEL"


def test_a_time_change_sends_a_request_with_a_higher_sequence(app, make_event, member):
    event = make_event()
    before = icalendar.Calendar.from_ical(build_invitation(f"event:{event.id}", "REQUEST"))
    event.starts_at += timedelta(hours=1)
    event.ends_at += timedelta(hours=1)
    event.sequence += 1
    db.session.commit()
    after = icalendar.Calendar.from_ical(build_invitation(f"event:{event.id}", "REQUEST"))
    b, a = before.walk("VEVENT")[0], after.walk("VEVENT")[0]
    assert a["UID"] == b["UID"]
    assert int(a["SEQUENCE"]) == int(b["SEQUENCE"]) + 1
    assert a["DTSTART"].dt - b["DTSTART"].dt == timedelta(hours=1)


def test_event_invitations_never_carry_the_join_url(app, make_event):
    event = make_event(format="online", online_url="https://meet.example.jp/j/5")
    assert "meet.example.jp" not in build_invitation(f"event:{event.id}", "REQUEST")


def test_no_invitation_for_a_draft_or_missing_event(app, make_event):
    assert build_invitation(f"event:{make_event(status='draft').id}", "REQUEST") is None
    assert build_invitation("event:999999", "REQUEST") is None


def test_alarm_follows_the_setting(app, make_event):
    event = make_event()
    assert "BEGIN:VALARM" in build_invitation(f"event:{event.id}", "REQUEST")
    app.config["CALENDAR_ALARM"] = False
    assert "VALARM" not in build_invitation(f"event:{event.id}", "REQUEST")


def test_a_booking_domain_registers_its_invitations_with_one_call(app, member, make_event,
                                                                  sent_mail, monkeypatch):  # fmt: skip
    from booking.calendars.event_items import event_item
    from booking.calendars.invitations import Invitee, register_item_invitations
    from booking.notifications import hooks

    # A stand-in registration 42 that no table holds: the real about-check would drop it.
    monkeypatch.setitem(hooks.hooks_of(app).about_checks, "registration", lambda *a: True)
    event = make_event(format="online", online_url="https://meet.example.jp/j/7")
    email, name = member.email, member.full_name

    def registration_invitee(ref_id):
        item = event_item(event, join_url=True, kind="registration")
        item = type(item)(**{**item.__dict__, "id": ref_id})
        return Invitee(item, email, name, "ja")

    register_item_invitations(app, "registration", registration_invitee)
    plan_message("t:reg", email, "account_confirm", {"link": "x"}, about="registration:42",
                 invite="REQUEST")  # fmt: skip
    db.session.commit()
    ics = attachment(sent_mail()[0]).decode()
    vevent = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(vevent["UID"]) == "registration-42@tsunagu.test"
    assert str(vevent["ATTENDEE"]) == f"mailto:{email}"
    assert "meet.example.jp/j/7" in ics.replace("\r\n ", "")


def test_builders_without_a_recipient_parameter_still_work(app, monkeypatch):
    from booking.notifications import hooks

    hooks.register_invitation_builder(app, "old", lambda ref, method: f"{ref}:{method}")
    hooks.register_invitation_builder(
        app, "new", lambda ref, method, recipient=None: f"{ref}:{method}:{recipient}"
    )
    assert hooks.build_invitation("old:1", "REQUEST", "a@example.jp") == "1:REQUEST"
    assert hooks.build_invitation("new:2", "CANCEL", "a@example.jp") == "2:CANCEL:a@example.jp"
