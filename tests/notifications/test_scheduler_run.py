"""`flask scheduler run`: sends what is overdue at start-up, and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from booking.extensions import db
from booking.notifications.models import OutboxMessage
from booking.timefmt import now_utc
from tests.processes import communicate_within

ROOT = Path(__file__).resolve().parents[2]


def _statuses() -> dict[str, int]:
    db.session.expire_all()
    rows = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    db.session.commit()  # hold no transaction (on SQLite it would hold the write lock)
    return rows


def test_scheduler_run_sends_overdue_mail_and_stops_after_the_message_in_hand_on_sigterm(
    app, database_url, smtp_sink, make_message, clock
):
    clock.follow_system()  # the `flask scheduler run` process below reads the system clock
    sink, port = smtp_sink
    sink.delay = 0.2  # a slow server, so a SIGTERM lands mid-pass
    now = now_utc()
    # Overdue: the scheduler was down. The oldest one's event has started meanwhile.
    too_late = make_message(due_at=now - timedelta(hours=4), not_after=now - timedelta(hours=1))
    for _ in range(20):
        make_message(due_at=now - timedelta(hours=3))
    env = dict(
        os.environ, DATABASE_URL=database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(port), SCHEDULER_ENABLED="0", TSUNAGU_ENV="development",
        SECRET_KEY="test", DISPATCH_INTERVAL="60", PYTHONPATH=str(ROOT),
    )  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert sink.first.wait(60), "nothing was sent at start-up"
        proc.send_signal(signal.SIGTERM)
        # (A bound against a hang, not a timing: that it stopped early is the count below.)
        _out, err = communicate_within(proc, 15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    counts = _statuses()
    delivered = len(sink.messages)
    assert counts.get("sent") == delivered  # each delivered message is marked, none twice
    assert 1 <= delivered < 20  # it stopped early …
    assert counts.get("pending") == 20 - delivered  # … and gave the rest back, unleased
    assert "sending" not in counts
    assert db.session.get(OutboxMessage, too_late).status == "cancelled"  # skipped, not sent
