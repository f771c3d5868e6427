"""Staff delivery log: /staff/outbox lists by status, shows errors, resends and cancels."""

from __future__ import annotations

from booking.extensions import db
from booking.notifications.dispatcher import dispatch_due
from booking.notifications.models import OutboxMessage


def _status(msg_id: int) -> str:
    db.session.expire_all()
    return db.session.get(OutboxMessage, msg_id).status


def test_only_staff_may_open_the_delivery_log(client, member_client):
    assert member_client.get("/staff/outbox/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/staff/outbox/")
    assert response.status_code == 302 and "/account/login" in response.location


def test_the_log_filters_by_status_and_shows_the_error_of_failed_mail(staff_client, make_message):
    failed = make_message(recipient="broken@@example", key="account:9:reset:a")
    make_message(recipient="fine@example.jp", key="account:10:reset:b")
    dispatch_due()
    page = staff_client.get("/staff/outbox/?status=failed").get_data(as_text=True)
    assert "broken@@example" in page and "fine@example.jp" not in page
    assert "invalid recipient address" in page
    assert f'id="message-{failed}"' in page
    everything = staff_client.get("/staff/outbox/").get_data(as_text=True)
    assert "broken@@example" in everything and "fine@example.jp" in everything


def test_the_log_searches_by_recipient(staff_client, make_message):
    make_message(recipient="hanako@example.jp")
    make_message(recipient="jiro@example.jp")
    page = staff_client.get("/staff/outbox/?q=HANAKO").get_data(as_text=True)
    assert "hanako@example.jp" in page and "jiro@example.jp" not in page


def test_an_unknown_status_filter_is_ignored(staff_client, make_message):
    make_message(recipient="hanako@example.jp")
    response = staff_client.get("/staff/outbox/?status=<script>&before=x")
    assert response.status_code == 200 and "hanako@example.jp" in response.get_data(as_text=True)


def test_staff_resend_a_failed_message_which_then_goes_out(staff_client, make_message):
    msg_id = make_message(recipient="taro@example.jp", template="no_such_template")
    dispatch_due()
    assert _status(msg_id) == "failed"
    db.session.execute(
        db.update(OutboxMessage).where(OutboxMessage.id == msg_id).values(template="account_reset")
    )  # the template was fixed meanwhile
    db.session.commit()
    response = staff_client.post(f"/staff/outbox/{msg_id}/resend?status=failed")
    assert response.status_code == 302 and "status=failed" in response.location
    assert _status(msg_id) == "pending"
    assert dispatch_due() == 1
    assert _status(msg_id) == "sent"


def test_resending_a_sent_message_gives_it_a_new_message_id(staff_client, make_message):
    msg_id = make_message()
    dispatch_due()
    first = db.session.get(OutboxMessage, msg_id).message_id
    staff_client.post(f"/staff/outbox/{msg_id}/resend")
    dispatch_due()
    db.session.expire_all()
    assert db.session.get(OutboxMessage, msg_id).message_id != first


def test_staff_cancel_a_pending_message(staff_client, make_message):
    msg_id = make_message()
    assert staff_client.post(f"/staff/outbox/{msg_id}/cancel").status_code == 302
    assert _status(msg_id) == "cancelled"
    assert dispatch_due() == 0


def test_a_sent_message_cannot_be_cancelled(staff_client, make_message):
    msg_id = make_message()
    dispatch_due()
    response = staff_client.post(f"/staff/outbox/{msg_id}/cancel")
    assert response.status_code == 302
    assert "送信済みのため取り消せません" in staff_client.get(response.location).get_data(
        as_text=True
    )
    assert _status(msg_id) == "sent"


def test_resending_a_message_that_does_not_exist_is_404(staff_client):
    assert staff_client.post("/staff/outbox/999999/resend").status_code == 404


def test_the_dashboard_counts_failed_mail_and_links_to_them(staff_client, make_message):
    make_message(recipient="broken@@example")
    make_message(recipient="also broken")
    dispatch_due()
    page = staff_client.get("/staff/").get_data(as_text=True)
    assert '<p class="big-number warn">2</p>' in page
    assert "/staff/outbox/?status=failed" in page


def _event():
    from datetime import timedelta

    from sqlalchemy import select

    from booking.events.models import Event
    from booking.org.models import Unit
    from booking.timefmt import now_utc

    start = now_utc() + timedelta(days=10)
    event = Event(kind="seminar", format="online", unit_id=db.session.scalar(select(Unit.id)),
                  title="DX推進セミナー", starts_at=start, ends_at=start + timedelta(hours=2),
                  status="published")  # fmt: skip
    db.session.add(event)
    db.session.commit()
    return event.id


def test_staff_add_a_survey_reminder_after_the_end_of_an_event(staff_client):
    from booking.notifications.models import ReminderRule

    event_id = _event()
    page = staff_client.get(f"/staff/outbox/events/{event_id}/reminders")
    assert page.status_code == 200 and "DX推進セミナー" in page.get_data(as_text=True)
    form = {"when": "end-after", "amount": "１", "unit": "D", "subject": "アンケートのお願い",
            "body": "ご参加ありがとうございました。", "active": "y"}  # fmt: skip
    response = staff_client.post(f"/staff/outbox/events/{event_id}/reminders", data=form)
    assert response.status_code == 302
    [rule] = db.session.scalars(db.select(ReminderRule)).all()
    assert (rule.anchor, rule.direction, rule.duration) == ("end", "after", "P1D")
    assert rule.subject == "アンケートのお願い" and rule.active
    edit = staff_client.get(f"/staff/outbox/events/{event_id}/reminders?rule={rule.id}")
    assert 'value="アンケートのお願い"' in edit.get_data(as_text=True)


def test_a_bad_reminder_timing_is_shown_next_to_the_field_and_keeps_the_text(staff_client):
    event_id = _event()
    form = {"when": "start-before", "amount": "0", "unit": "H", "subject": "明日の件"}
    response = staff_client.post(f"/staff/outbox/events/{event_id}/reminders", data=form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "1〜999の数字で入力してください。" in page and 'value="明日の件"' in page


def test_staff_delete_a_reminder_rule(staff_client):
    from booking.notifications.models import ReminderRule
    from booking.notifications.reminders import save_reminder_rule
    from booking.timefmt import now_utc

    event_id = _event()
    rule = save_reminder_rule(event_id, now_utc(), anchor="start", direction="before",
                              duration="PT3H")  # fmt: skip
    rule_id = rule.id
    db.session.commit()
    response = staff_client.post(f"/staff/outbox/events/{event_id}/reminders/{rule_id}/delete")
    assert response.status_code == 302
    assert db.session.scalars(db.select(ReminderRule)).all() == []


def test_reminders_of_an_unknown_event_are_404(staff_client):
    assert staff_client.get("/staff/outbox/events/99999/reminders").status_code == 404
