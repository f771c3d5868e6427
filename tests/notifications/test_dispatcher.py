"""The dispatcher: leases, backoff, the failed state, permanent errors, re-checks."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from booking.extensions import db
from booking.notifications import dispatcher, hooks, mailer
from booking.notifications.dispatcher import (
    LEASE,
    MAX_ATTEMPTS,
    MIN_CLAIM,
    claim_due_messages,
    claim_size,
    dispatch_due,
    message_id_for,
    retry_delay,
)
from booking.notifications.models import OutboxMessage
from booking.notifications.writes import MarkFailed, Writes
from booking.timefmt import as_utc, now_utc


def _row(msg_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, msg_id)


def test_a_due_message_is_sent_once_and_marked_with_its_message_id(app, make_message):
    msg_id = make_message(key="account:1:reset:abc")
    assert dispatch_due() == 1
    assert dispatch_due() == 0
    row = _row(msg_id)
    assert row.status == "sent"
    assert row.message_id == message_id_for("account:1:reset:abc")
    assert row.attempts == 1 and row.sent_at is not None and row.lease_owner is None
    assert len(mailer.outbox_memory) == 1


def test_a_message_not_yet_due_waits(app, make_message):
    msg_id = make_message(due_at=now_utc() + timedelta(hours=1))
    assert dispatch_due() == 0
    assert _row(msg_id).status == "pending"


def test_message_ids_are_deterministic_and_change_only_with_a_staff_resend(app):
    assert message_id_for("k:1") == message_id_for("k:1") != message_id_for("k:2")
    assert message_id_for("k:1", resends=1) != message_id_for("k:1")
    assert message_id_for("k:1").endswith("@tsunagu.test>")


def test_a_claimed_row_is_not_claimed_again_while_its_lease_runs(app, make_message):
    make_message()
    now = now_utc()
    assert len(claim_due_messages(now, owner="a")) == 1
    assert claim_due_messages(now + LEASE - timedelta(seconds=1), owner="b") == []


def test_a_claim_takes_at_most_its_limit_oldest_first(app, make_message):
    now = now_utc()
    ids = [make_message(due_at=now - timedelta(minutes=10 - i)) for i in range(10)]
    assert claim_due_messages(now, limit=3, owner="a") == ids[:3]
    assert claim_due_messages(now, limit=3, owner="b") == ids[3:6]


def test_an_expired_lease_is_claimed_again_and_sent(app, make_message):
    msg_id = make_message()
    now = now_utc()
    claim_due_messages(now, owner="dead-dispatcher")  # …which then never finishes
    assert dispatch_due(now=now + LEASE + timedelta(seconds=1)) == 1
    row = _row(msg_id)
    assert row.status == "sent" and row.attempts == 2


def test_a_dispatcher_whose_lease_was_taken_over_cannot_mark_the_row(app, make_message):
    from booking.notifications.dispatcher import _finish, _Pass

    msg_id = make_message()
    now = now_utc()
    claim_due_messages(now, owner="slow")
    claim_due_messages(now + LEASE + timedelta(seconds=1), owner="fresh")
    slow = _Pass(now, None)
    slow.owner = "slow"
    _finish(_row(msg_id), slow, "failed", error="late")
    slow.writes.close()
    row = _row(msg_id)
    assert row.status == "sending" and row.lease_owner == "fresh"


def test_transient_errors_back_off_exponentially_and_keep_the_error(app, make_message, monkeypatch):
    msg_id = make_message()

    def down(self, message):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(mailer.Connection, "send", down)
    now = now_utc()
    assert dispatch_due(now=now) == 0
    row = _row(msg_id)
    assert row.status == "pending" and row.attempts == 1
    assert "Connection refused" in row.last_error
    assert as_utc(row.due_at) == now + retry_delay(1)
    later = as_utc(row.due_at)
    dispatch_due(now=later)
    row = _row(msg_id)
    assert row.attempts == 2 and as_utc(row.due_at) == later + retry_delay(2)
    assert retry_delay(2) == 2 * retry_delay(1) and retry_delay(3) == 4 * retry_delay(1)


def test_after_the_last_attempt_the_message_is_failed_with_its_error(
    app, make_message, monkeypatch
):
    msg_id = make_message()
    monkeypatch.setattr(
        mailer.Connection, "send", lambda self, m: (_ for _ in ()).throw(TimeoutError("timed out"))
    )
    now = now_utc()
    for _ in range(MAX_ATTEMPTS):
        dispatch_due(now=now)
        now = max(now, as_utc(_row(msg_id).due_at))
    row = _row(msg_id)
    assert row.status == "failed"
    assert row.attempts == MAX_ATTEMPTS
    assert "timed out" in row.last_error
    assert dispatch_due(now=now + timedelta(days=30)) == 0  # never retried again


def test_a_server_that_is_down_delays_mail_but_loses_none(app, make_message, smtp_app):
    msg_id = make_message()
    app.config["MAIL_PORT"] = 1  # nothing listens there
    now = now_utc()
    assert dispatch_due(now=now) == 0
    assert _row(msg_id).status == "pending"
    app.config["MAIL_PORT"] = smtp_app.port  # the server is back
    assert dispatch_due(now=now + retry_delay(1)) == 1
    assert _row(msg_id).status == "sent"
    assert len(smtp_app.messages) == 1


def test_an_invalid_address_fails_at_once_without_retrying(app, make_message):
    msg_id = make_message(recipient="not an address@@example")
    assert dispatch_due() == 0
    row = _row(msg_id)
    assert row.status == "failed" and row.attempts == 1
    assert "invalid recipient address" in row.last_error


def test_a_recipient_refused_with_5xx_fails_at_once(app, make_message, smtp_app):
    msg_id = make_message(recipient="refuse@example.jp")
    ok_id = make_message(recipient="ok@example.jp")
    assert dispatch_due() == 1
    row = _row(msg_id)
    assert row.status == "failed" and "550" in row.last_error
    assert _row(ok_id).status == "sent"  # the shared connection went on working


def test_a_recipient_refused_with_4xx_is_retried_later(app, make_message, smtp_app):
    msg_id = make_message(recipient="later@example.jp")
    dispatch_due()
    row = _row(msg_id)
    assert row.status == "pending" and "450" in row.last_error


def test_a_template_error_fails_that_message_only(app, make_message):
    broken = make_message(template="no_such_template")
    fine = make_message()
    assert dispatch_due() == 1
    row = _row(broken)
    assert row.status == "failed" and "render error" in row.last_error
    assert "no_such_template" in row.last_error
    assert _row(fine).status == "sent"


def test_a_message_whose_booking_no_longer_holds_is_dropped_as_cancelled(app, make_message):
    seen = []

    def registration_active(ref, version, now):
        seen.append((ref, version))
        return ref != 13

    hooks.register_about_check(app, "testbooking", registration_active)  # this app only
    dropped = make_message(about="testbooking:13", about_version=2)
    kept = make_message(about="testbooking:14", about_version=5)
    assert dispatch_due() == 1
    assert _row(dropped).status == "cancelled"
    assert _row(dropped).last_error == "no longer applies"
    assert _row(kept).status == "sent"
    assert sorted(seen) == [(13, 2), (14, 5)]


def test_a_message_past_its_not_after_time_is_skipped_not_sent_late(app, make_message):
    now = now_utc()
    late = make_message(due_at=now - timedelta(days=1), not_after=now - timedelta(minutes=1))
    overdue_but_fine = make_message(
        due_at=now - timedelta(days=1), not_after=now + timedelta(hours=1)
    )
    assert dispatch_due(now=now) == 1
    assert _row(late).status == "cancelled" and "too late" in _row(late).last_error
    assert _row(overdue_but_fine).status == "sent"


def test_a_stop_request_ends_the_pass_and_gives_the_rest_back(app, make_message, monkeypatch):
    ids = [make_message() for _ in range(5)]
    stop = threading.Event()
    real_send = mailer.Connection.send

    def send_then_stop(self, message):
        real_send(self, message)
        stop.set()  # SIGTERM arrives while the first message is in hand

    monkeypatch.setattr(mailer.Connection, "send", send_then_stop)
    assert dispatch_due(stop=stop) == 1
    rows = [_row(i) for i in ids]
    assert [r.status for r in rows].count("sent") == 1
    assert [r.status for r in rows].count("pending") == 4
    assert all(r.attempts == 0 and r.lease_owner is None for r in rows if r.status == "pending")


def test_a_pass_drains_more_than_one_batch(app, make_message):
    for _ in range(7):
        make_message()
    assert dispatch_due(limit=3) == 7


def test_a_claim_takes_a_quarter_of_what_is_due_within_its_bounds():
    assert claim_size(1000, limit=100) == 100
    assert claim_size(200, limit=100) == 50
    assert claim_size(41, limit=100) == 11
    assert claim_size(3, limit=100) == MIN_CLAIM
    assert claim_size(3, limit=5) == 5


def test_claims_shrink_as_the_backlog_drains_and_each_mail_goes_once(
    app, make_message, monkeypatch
):
    ids = [make_message() for _ in range(60)]
    asked = []
    real_claim_rows = dispatcher._claim_rows

    def claim_rows(run, limit):
        asked.append(limit)
        return real_claim_rows(run, limit)

    monkeypatch.setattr(dispatcher, "_claim_rows", claim_rows)
    assert dispatch_due(limit=20) == 60
    # 60 due → 15, 45 → 12, then at least MIN_CLAIM until a claim finds nothing.
    assert asked == [15, 12, 10, 10, 10, 10, 10]
    assert {_row(i).status for i in ids} == {"sent"}
    assert {_row(i).attempts for i in ids} == {1}


def test_a_sent_mark_the_database_refuses_is_raised_before_the_next_delivery(
    app, postgres_url, make_message
):
    """On PostgreSQL a "sent" mark goes out without waiting; its answer is read before the
    next delivery, and a refusal stops there (the connection is not given back to the pool)."""
    msg_id = make_message()
    writes = Writes(autocommit=True)
    try:
        statement, params = dispatcher._mine(msg_id, "owner", now_utc(), status="x" * 40)
        writes.submit(statement, params)
        with pytest.raises(MarkFailed, match="too long"):
            writes.wait()
        assert writes.connection.invalidated
    finally:
        writes.close()
    assert _row(msg_id).status == "pending"
