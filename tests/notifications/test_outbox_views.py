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
