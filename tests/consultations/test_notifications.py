"""Consultation mails through the outbox: booked, changed, cancelled, reminders."""

from sqlalchemy import select

from booking.consultations.services import cancel_consultation, reschedule_consultation
from booking.extensions import db
from booking.notifications.dispatcher import dispatch_due
from booking.notifications.hooks import still_holds
from booking.notifications.models import OutboxMessage
from booking.timefmt import as_utc, now_utc
from tests.consultations.conftest import NOW, jst

TUE_10 = jst(2026, 6, 2, 10)


def rows(prefix=""):
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.dedupe_key.startswith(prefix))
            .order_by(OutboxMessage.id)
        )
    )


def test_booking_plans_invitations_to_member_and_advisor(make_advisor, member, book):
    advisor = make_advisor()
    c = book(member, TUE_10, advisor)
    booked = rows(f"consultation:{c.id}:booked")
    assert {m.recipient for m in booked} == {member.email, advisor.user.email}
    assert {m.invite for m in booked} == {"REQUEST"}
    assert all(m.about == f"consultation:{c.id}" and m.about_version == 0 for m in booked)


def test_online_reminders_carry_the_join_link(app, make_advisor, member, book):
    advisor = make_advisor()
    c = book(member, TUE_10, advisor, channel="online")
    reminders = rows(f"reminder:consultation:{c.id}:")
    assert {m.dedupe_key.rsplit(":", 1)[1] for m in reminders} == {"P1D", "PT1H"}
    assert all(m.context["join_url"] == advisor.video_url for m in reminders)
    assert reminders[0].due_at is not None


def test_the_cancellation_of_an_online_consultation_names_no_room(make_advisor, member, book):
    c = book(member, TUE_10, make_advisor(), channel="online")
    cancel_consultation(c, NOW, member)
    db.session.commit()
    cancelled = rows(f"consultation:{c.id}:cancelled")
    assert len(cancelled) == 2 and {m.context["join_url"] for m in cancelled} == {""}


def test_phone_consultations_have_no_join_link(make_advisor, member, book):
    c = book(member, TUE_10, make_advisor(), channel="phone")
    assert all(m.context["join_url"] == "" for m in rows(f"reminder:consultation:{c.id}:"))


def test_change_plans_a_changed_mail_and_retimes_reminders(make_advisor, member, book):
    advisor = make_advisor()
    c = book(member, TUE_10, advisor)
    reschedule_consultation(c, jst(2026, 6, 3, 14), NOW, member)
    db.session.commit()
    changed = rows(f"consultation:{c.id}:changed:1")
    assert len(changed) == 2 and {m.invite for m in changed} == {"REQUEST"}
    day_before = rows(f"reminder:consultation:{c.id}:P1D")[0]
    assert as_utc(day_before.due_at) == jst(2026, 6, 2, 14)
    assert day_before.about_version == 1
    # The booked mail was for the old time: it no longer holds.
    assert not still_holds(f"consultation:{c.id}", 0, NOW)


def test_cancel_mails_with_cancel_invites_and_cancels_reminders(make_advisor, member, book):
    advisor = make_advisor()
    c = book(member, TUE_10, advisor)
    cancel_consultation(c, NOW, member)
    db.session.commit()
    cancelled = rows(f"consultation:{c.id}:cancelled")
    assert {m.recipient for m in cancelled} == {member.email, advisor.user.email}
    assert {m.invite for m in cancelled} == {"CANCEL"}
    assert {m.status for m in rows(f"reminder:consultation:{c.id}:")} == {"cancelled"}


def test_mails_render_in_japanese_with_the_manage_link(app, make_advisor, member, book):
    from booking.notifications import mailer

    advisor = make_advisor()
    book(member, TUE_10, advisor, channel="online")
    dispatch_due(now=now_utc())
    sent = {m["To"]: m for m in mailer.outbox_memory if "承りました" in m["Subject"]}
    mail = sent[member.email]
    assert mail["Subject"].startswith("【東京商工会議所】経営相談のご予約を承りました")
    body = mail.get_body(("plain",)).get_content()
    assert "2026年6月2日(火) 10:00〜11:00" in body
    assert "/consultations/m/" in body, body
    assert advisor.video_url in body
    assert "/consultations/m/" not in sent[advisor.user.email].get_body(("plain",)).get_content()
