"""Mails about registrations go through the outbox: right words, invitations, stale ones dropped."""

from datetime import timedelta

from sqlalchemy import select

from booking.events.changes import cancel_event, update_event
from booking.events.registrations import cancel_registration, register_for_frame
from booking.extensions import db
from booking.notifications.hooks import still_holds
from booking.notifications.models import OutboxMessage
from booking.timefmt import now_utc


def _register(user, event):
    reg = register_for_frame(user, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    return reg


def _messages(reg):
    return {
        m.dedupe_key: m
        for m in db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.about.in_((f"registration:{reg.id}", f"attendee:{reg.id}"))
            )
        )
    }


def test_a_confirmation_is_planned_with_an_invitation_reminders_and_thanks(make_event, member):
    reg = _register(member, make_event(days=5))
    msgs = _messages(reg)
    confirmation = msgs[f"registration:{reg.id}:confirmed:0"]
    assert confirmation.invite == "REQUEST" and confirmation.about_version == 0
    assert confirmation.context["reference"] == reg.reference
    assert (
        confirmation.context["cancel_url"].startswith("http")
        and "/r/" in confirmation.context["cancel_url"]
    )
    assert {f"reminder:registration:{reg.id}:P1D", f"reminder:registration:{reg.id}:PT1H",
            f"registration:{reg.id}:thanks"} <= set(msgs)  # fmt: skip


def test_the_confirmation_mail_reads_politely_with_the_reference(make_event, member, sent_mail):
    reg = _register(member, make_event(days=5, title="DX推進セミナー"))
    mails = sent_mail()
    mail = next(m for m in mails if reg.reference in m.get_body(("plain",)).get_content())
    assert mail["Subject"].startswith("【東京商工会議所】お申し込みを受け付けました")
    text = mail.get_body(("plain",)).get_content()
    assert "DX推進セミナー" in text and "ご提示ください" in text and "/r/" in text


def test_waitlisted_people_get_no_reminders(make_event, make_user):
    event = make_event(capacity=1)
    _register(make_user("member"), event)
    waiting = _register(make_user("member"), event)
    msgs = _messages(waiting)
    assert set(msgs) == {f"registration:{waiting.id}:waitlisted:0"}
    assert msgs[f"registration:{waiting.id}:waitlisted:0"].context["position"] == 1


def test_promotion_is_announced_and_the_old_waitlist_mail_goes_stale(make_event, make_user):
    event = make_event(capacity=1)
    first = _register(make_user("member"), event)
    waiting = _register(make_user("member"), event)
    cancel_registration(first, now_utc())
    db.session.commit()
    msgs = _messages(waiting)
    assert msgs[f"registration:{waiting.id}:promoted:1"].invite == "REQUEST"
    assert not still_holds(f"registration:{waiting.id}", 0, now_utc())
    assert still_holds(f"registration:{waiting.id}", 1, now_utc())


def test_cancellation_sends_a_calendar_cancel_and_cancels_reminders(make_event, member):
    reg = _register(member, make_event(days=5))
    cancel_registration(reg, now_utc())
    db.session.commit()
    msgs = _messages(reg)
    assert msgs[f"registration:{reg.id}:cancelled:1"].invite == "CANCEL"
    assert msgs[f"reminder:registration:{reg.id}:P1D"].status == "cancelled"
    assert msgs[f"registration:{reg.id}:thanks"].status == "cancelled"


def test_a_time_change_retimes_reminders_and_announces_it(make_event, member, staff):
    event = make_event(days=5)
    reg = _register(member, event)
    start = event.starts_at + timedelta(days=1)
    update_event(
        event, {"starts_at": start, "ends_at": start + timedelta(hours=2)}, staff, now_utc()
    )
    db.session.commit()
    msgs = _messages(reg)
    assert msgs[f"registration:{reg.id}:changed:1"].context["change"] == "time"
    assert msgs[f"reminder:registration:{reg.id}:P1D"].about_version == 1
    assert event.sequence == 1 and reg.sequence == 1


def test_changing_only_the_title_announces_nothing(make_event, member, staff):
    event = make_event(days=5)
    reg = _register(member, event)
    update_event(event, {"title": "新しいタイトル"}, staff, now_utc())
    db.session.commit()
    assert not any(":changed:" in k for k in _messages(reg)) and reg.sequence == 0


def test_event_cancellation_tells_everyone(make_event, make_user, staff):
    event = make_event(capacity=1)
    regs = [_register(make_user("member"), event) for _ in range(2)]
    cancel_event(event, staff, now_utc())
    db.session.commit()
    for reg in regs:
        assert _messages(reg)[f"registration:{reg.id}:event_cancelled:1"].invite == "CANCEL"


def test_a_stale_confirmation_is_dropped_by_the_dispatcher(make_event, member, sent_mail):
    reg = _register(member, make_event())
    cancel_registration(reg, now_utc())
    db.session.commit()
    sent = sent_mail()
    subjects = [m["Subject"] for m in sent]
    assert any("キャンセルを受け付けました" in s for s in subjects)
    assert not any("お申し込みを受け付けました" in s for s in subjects)


def test_english_speakers_get_english_mail(make_event, make_user, sent_mail):
    user = make_user("member")
    user.locale = "en"
    db.session.commit()
    _register(user, make_event())
    mail = sent_mail()[0]
    assert "Your registration is confirmed" in mail["Subject"]


def test_the_confirmation_mail_carries_the_pass_qr_code(make_event, member, sent_mail):
    reg = _register(member, make_event(days=5))
    mail = next(m for m in sent_mail() if reg.reference in m.get_body(("plain",)).get_content())
    html = mail.get_body(("html",)).get_content()
    assert 'src="data:image/png;base64,' in html
    assert reg.pass_token not in mail.get_body(("plain",)).get_content()


def test_a_series_gets_reminders_before_every_session(make_event, member):
    from booking.events.models import EventSession

    event = make_event(days=3)
    for days in (3, 10, 17):
        start = now_utc() + timedelta(days=days)
        event.sessions.append(EventSession(starts_at=start, ends_at=start + timedelta(hours=2)))
    db.session.commit()
    reg = _register(member, event)
    keys = set(_messages(reg))
    for n in (2, 3):
        assert {
            f"reminder:registration:{reg.id}:s{n}:P1D",
            f"reminder:registration:{reg.id}:s{n}:PT1H",
        } <= keys
    cancel_registration(reg, now_utc())
    db.session.commit()
    assert _messages(reg)[f"reminder:registration:{reg.id}:s3:P1D"].status == "cancelled"
