"""Exactly once with several dispatcher processes on PostgreSQL, and after a SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from booking.extensions import db
from booking.notifications.dispatcher import LEASE, dispatch_due, message_id_for
from booking.notifications.models import OutboxMessage
from booking.timefmt import now_utc
from tests.processes import communicate_within, wait_within

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]


def _plan_due(n: int) -> list[str]:
    now = now_utc()
    keys = [f"bulk:{i}" for i in range(n)]
    db.session.execute(
        insert(OutboxMessage),
        [
            {"dedupe_key": key, "recipient": f"member{i}@example.jp", "template": "account_reset",
             "context": {"name": f"会員 {i}", "url": f"http://tsunagu.test/r/{i}", "hours": 2},
             "due_at": now - timedelta(seconds=1), "status": "pending"}
            for i, key in enumerate(keys)
        ],
    )  # fmt: skip
    db.session.commit()
    return keys


def _start_dispatchers(url: str, port: int, count: int) -> list[subprocess.Popen]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "tests.notifications.dispatch_worker", url, str(port),
               now_utc().isoformat()]  # fmt: skip
    pipes = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE, "text": True}
    procs = [subprocess.Popen(command, cwd=ROOT, env=env, **pipes) for _ in range(count)]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:  # go, all together
        proc.stdin.write("go\n")
        proc.stdin.flush()
    return procs


def _statuses() -> dict[str, int]:
    db.session.expire_all()
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    return dict(rows)


def test_three_dispatcher_processes_deliver_each_of_1000_messages_exactly_once(
    app, postgres_url, smtp_sink
):
    sink, port = smtp_sink
    keys = _plan_due(1000)
    procs = _start_dispatchers(postgres_url, port, 3)
    outputs = [communicate_within(proc, 300)[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0, 0]
    sent_by = [int(out.strip().split()[-1]) for out in outputs]
    assert sum(sent_by) == 1000
    assert all(n > 0 for n in sent_by), f"each process should have won some rows: {sent_by}"
    received = sink.message_ids()
    assert set(received) == {message_id_for(k) for k in keys}
    assert max(received.values()) == 1  # nothing twice
    assert _statuses() == {"sent": 1000}


def test_a_dispatcher_killed_mid_send_loses_nothing_and_repeats_only_the_message_in_hand(
    app, postgres_url, smtp_sink
):
    sink, port = smtp_sink
    keys = _plan_due(1000)
    sink.hold_at = 300  # the 300th message arrives, and the server does not answer yet
    [proc] = _start_dispatchers(postgres_url, port, 1)
    assert sink.holding.wait(120), "the dispatcher never reached the 300th message"
    proc.send_signal(signal.SIGKILL)
    wait_within(proc, 30)
    proc.stdin.close()
    proc.stdout.close()
    sink.release.set()
    in_hand = sink.messages[299]["Message-ID"]
    left = _statuses()
    assert left["sent"] == 299 and left["sending"] >= 1  # its batch is still leased

    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    assert dispatch_due(now=now_utc() + LEASE + timedelta(seconds=1)) == 701

    received = sink.message_ids()
    assert set(received) == {message_id_for(k) for k in keys}  # every message delivered
    duplicates = {mid: n for mid, n in received.items() if n > 1}
    assert duplicates == {in_hand: 2}  # only the one in hand, once more
    assert sum(received.values()) == 1001
    assert _statuses() == {"sent": 1000}
