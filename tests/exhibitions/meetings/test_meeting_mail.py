"""Meeting mails to both sides, their calendar invitations, reminders, and the feeds."""

from datetime import time

from icalendar import Calendar
from sqlalchemy import select

from booking.accounts.services import issue_api_token
from booking.exhibitions.meetings.services import cancel_meeting
from booking.exhibitions.models import MeetingHours
from booking.extensions import db
from booking.notifications.hooks import still_holds
from booking.notifications.models import OutboxMessage
from booking.timefmt import now_utc
from tests.exhibitions.meeting_helpers import at, book, visitor


def rows(prefix):
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.dedupe_key.startswith(prefix))
            .order_by(OutboxMessage.id)
        )
    )


def meeting_mails(sent, word):
    return {m["To"]: m for m in sent if m["Subject"] and word in str(m["Subject"])}


def text_of(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def invite_of(mail) -> Calendar:
    [part] = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_content())


def test_booking_mails_both_sides_with_a_request_invitation(
    make_fair, make_exhibitor, make_user, sent_mail
):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair)
    exhibitor.contact_email = "eigyo@shutten.example.jp"  # mails go to the contact person
    db.session.commit()
    guest = visitor(make_user, fair)
    meeting = book(guest, exhibitor, at(fair, 0, 13, 30), topic="OEMの相談")
    sent = meeting_mails(sent_mail(), "M-")
    assert set(sent) == {guest.email, "eigyo@shutten.example.jp"}
    to_guest, to_seller = sent[guest.email], sent["eigyo@shutten.example.jp"]
    assert str(to_guest["Subject"]).startswith("【東京商工会議所】商談のご予約を承りました")
    assert "新しい商談のご予約がありました" in str(to_seller["Subject"])
    body = text_of(to_guest)
    assert "13:30〜14:00" in body and exhibitor.name in body and "OEMの相談" in body
    assert "/meetings/c/" in body
    seller_body = text_of(to_seller)
    assert guest.full_kana in seller_body and "共有なし" in seller_body
    # Each side's link is its own.
    link = next(line for line in body.splitlines() if "/meetings/c/" in line)
    assert link not in seller_body
    for mail, attendee in ((to_guest, guest.email), (to_seller, "eigyo@shutten.example.jp")):
        cal = invite_of(mail)
        assert cal["METHOD"] == "REQUEST"
        [ev] = cal.walk("VEVENT")
        assert str(ev["UID"]).startswith(f"meeting-{meeting.id}@")
        assert ev.decoded("DTSTART") == at(fair, 0, 13, 30)
        assert str(ev["ATTENDEE"]) == f"mailto:{attendee}"


def test_cancelling_mails_cancel_invitations_and_drops_reminders(
    make_fair, make_exhibitor, make_user, sent_mail
):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair)
    guest = visitor(make_user, fair)
    meeting = book(guest, exhibitor, at(fair, 0, 13))
    reminders = rows(f"reminder:meeting:{meeting.id}:") + rows(
        f"reminder:meeting_host:{meeting.id}:"
    )
    assert {m.recipient for m in reminders} == {guest.email, exhibitor.contact_email}
    assert all(m.status == "pending" and m.about_version == 0 for m in reminders)
    sent_mail()
    cancel_meeting(meeting, now_utc(), None, "exhibitor")
    db.session.commit()
    cancelled = rows(f"meeting:{meeting.id}:cancelled")
    assert {m.recipient for m in cancelled} == {guest.email, exhibitor.contact_email}
    assert {m.invite for m in cancelled} == {"CANCEL"}
    assert {m.status for m in rows(f"reminder:meeting:{meeting.id}:")} == {"cancelled"}
    assert {m.status for m in rows(f"reminder:meeting_host:{meeting.id}:")} == {"cancelled"}
    sent = meeting_mails(sent_mail(), "キャンセル")
    body = text_of(sent[guest.email])
    assert "出展者により" in body and "/meetings/c/" not in body
    cal = invite_of(sent[guest.email])
    assert cal["METHOD"] == "CANCEL"
    [ev] = cal.walk("VEVENT")
    assert ev["SEQUENCE"] == 1 and str(ev["STATUS"]) == "CANCELLED"


def test_a_booked_mail_still_waiting_is_dropped_after_a_cancel(
    make_fair, make_exhibitor, make_user, sent_mail
):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair)
    guest = visitor(make_user, fair)
    meeting = book(guest, exhibitor, at(fair, 0, 13))
    assert still_holds(f"meeting:{meeting.id}", 0, now_utc())
    cancel_meeting(meeting, now_utc(), guest, "visitor")
    db.session.commit()
    assert not still_holds(f"meeting:{meeting.id}", 0, now_utc())
    assert not still_holds(f"meeting_host:{meeting.id}", 0, now_utc())
    sent = sent_mail()
    assert not [m for m in sent if "承りました" in str(m["Subject"]) and "M-" in str(m["Subject"])]
    assert {m.status for m in rows(f"meeting:{meeting.id}:booked")} == {"cancelled"}


def test_only_online_meetings_carry_the_join_url(make_fair, make_exhibitor, make_user):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair, online_meeting_url="https://meet.example.jp/room-7")
    db.session.add(MeetingHours(exhibitor_id=exhibitor.id, day=fair.days[0], starts=time(16),
                                ends=time(17), mode="online"))  # fmt: skip
    db.session.commit()
    guest = visitor(make_user, fair)
    booth = book(guest, exhibitor, at(fair, 0, 13))
    online = book(guest, exhibitor, at(fair, 0, 16), mode="online")
    assert {m.context["join_url"] for m in rows(f"meeting:{booth.id}:")} == {""}
    assert {m.context["join_url"] for m in rows(f"meeting:{online.id}:")} == {
        "https://meet.example.jp/room-7"
    }
    assert all(m.context["join_url"] for m in rows(f"reminder:meeting:{online.id}:"))
    cancel_meeting(online, now_utc(), None, "exhibitor")
    db.session.commit()
    # The cancellation says it is off; it names no room to join any more.
    assert {m.context["join_url"] for m in rows(f"meeting:{online.id}:cancelled")} == {""}


def _feed(client, user):
    token = issue_api_token(user)
    db.session.commit()
    urls = client.get("/api/v1/me/calendar", headers={"Authorization": f"Bearer {token}"}).json
    path = urls["url"].split("://", 1)[1].split("/", 1)[1]
    return Calendar.from_ical(client.get("/" + path).data)


def _meetings(cal):
    return [e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("meeting-")]


def test_meetings_are_in_the_visitors_and_the_exhibitors_feeds(
    client, make_fair, make_exhibitor, make_user
):
    fair = make_fair()
    exhibitor, company_user = make_exhibitor(fair, name="株式会社かもめ")
    guest = visitor(make_user, fair)
    meeting = book(guest, exhibitor, at(fair, 0, 13))
    [mine] = _meetings(_feed(client, guest))
    assert str(mine["UID"]).startswith(f"meeting-{meeting.id}@")
    assert "株式会社かもめ" in str(mine["SUMMARY"])
    [theirs] = _meetings(_feed(client, company_user))
    assert str(theirs["UID"]) == str(mine["UID"])
    assert guest.company.name in str(theirs["SUMMARY"])
    stranger = make_user("member")
    assert _meetings(_feed(client, stranger)) == []
