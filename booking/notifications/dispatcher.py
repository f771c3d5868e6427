"""The dispatcher: claim due outbox rows with a lease, re-check, render, send, mark sent.

Claiming is one conditional UPDATE (pending and due, or sending with an expired lease →
sending, with a new lease and owner). On PostgreSQL its candidate rows are picked with
`FOR UPDATE SKIP LOCKED`, so dispatchers never wait on each other; on SQLite the statement
runs under the database's single write lock. Either way a row is won by exactly one claim,
and only the claim that holds the lease may mark it sent, failed or pending again.

The dispatcher is the one place that commits on its own, by design: the claim (lease), each
"sent" / "failed" / "retry" mark and the read before a send are separate transactions, so a
claim is visible to other dispatchers at once and a crash loses no mark already made. No
transaction stays open while a message is rendered or sent (on SQLite an open transaction
holds the write lock every web request needs). How that adds up to "each mail exactly once":
`booking/notifications/__init__.py`.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from functools import lru_cache
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import and_, bindparam, func, or_, select, update

from booking.clock import current_clock, monotonic
from booking.extensions import db
from booking.notifications import mailer
from booking.notifications.claim_sizing import MIN_CLAIM, claim_size
from booking.notifications.hooks import MissingHook, still_holds
from booking.notifications.models import OutboxMessage
from booking.notifications.render import (  # noqa: F401 (where callers have imported them)
    encode_address,
    message_id_for,
    render_message,
    summary_line,
)
from booking.notifications.wire import prepare
from booking.notifications.writes import MarkFailed, Writes
from booking.timefmt import as_utc
from booking.tokens import new_token

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=6)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the n-th failed attempt: 1, 2, 4, … minutes, at most 6 h."""
    base = current_app.config.get("MAIL_RETRY_BASE", RETRY_BASE)
    return min(base * 2 ** max(attempts - 1, 0), RETRY_CAP)


def _is_due(now: datetime):
    return or_(
        and_(OutboxMessage.status == "pending", OutboxMessage.due_at <= now),
        and_(OutboxMessage.status == "sending", OutboxMessage.lease_until < now),
    )


def claim_due_messages(
    now: datetime, limit: int = 50, owner: str | None = None, writes: Writes | None = None
) -> list[int]:
    """Claim up to `limit` due rows for `owner` (one conditional UPDATE) and commit the claim."""
    statement = _claim(now, limit, owner or new_token()[:32]).returning(OutboxMessage.id)
    return sorted((writes or Writes()).run(statement, returning=True))


def _claim_rows(run: _Pass, limit: int) -> list[SimpleNamespace]:
    """Claim a batch and return its rows as they are after the claim, oldest first, as plain
    snapshots (not ORM objects: the marks must not reload them, and a caller's session keeps
    its own objects untouched); the claim's own RETURNING, so no second read."""
    statement = _claim(run.now(), limit, run.owner).returning(*OutboxMessage.__table__.c)
    rows = run.claims.run(statement, rows=True)
    return [SimpleNamespace(**row) for row in sorted(rows, key=lambda r: (r["due_at"], r["id"]))]


def _claim_size(run: _Pass, limit: int) -> int:
    """`claim_size` from a count of the rows still due (not those other claims hold), which
    stops at `4 * limit`, so it costs little whatever the backlog."""
    if limit <= MIN_CLAIM:
        return limit
    due = select(OutboxMessage.id).where(_is_due(run.now())).limit(4 * limit).subquery()
    (count,) = run.claims.run(select(func.count()).select_from(due), returning=True)
    return claim_size(count, limit)


def _claim(now: datetime, limit: int, owner: str):
    """The claim: one conditional UPDATE of up to `limit` due rows (no RETURNING yet)."""
    candidates = (
        select(OutboxMessage.id)
        .where(_is_due(now))
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(limit)
    )
    table = OutboxMessage.__table__
    if db.engine.dialect.name == "postgresql":
        # A CTE, not `id IN (subquery)`: PostgreSQL may run such a subquery once per outer
        # row, and with SKIP LOCKED each run finds other rows, so LIMIT would not hold.
        chosen = candidates.with_for_update(skip_locked=True).cte("chosen")
        statement = update(table).where(table.c.id == chosen.c.id, _is_due(now))
    else:  # SQLite: one writer at a time, the subquery runs once
        statement = update(table).where(table.c.id.in_(candidates.scalar_subquery()), _is_due(now))
    lease = current_app.config.get("MAIL_LEASE", LEASE)
    return statement.values(
        status="sending",
        lease_until=now + lease,
        lease_owner=owner,
        attempts=OutboxMessage.attempts + 1,
        updated_at=now,
    )


class _Pass:
    """One dispatch pass: its claim owner, its SMTP connection, its counts."""

    def __init__(self, now: datetime | None, stop):
        self.fixed_now = now
        self.stop = stop
        self.owner = new_token()[:32]
        self.sent = 0
        cfg = current_app.config
        self.lease = cfg.get("MAIL_LEASE", LEASE)
        self.max_attempts = cfg.get("MAIL_MAX_ATTEMPTS", MAX_ATTEMPTS)
        self.clock = current_clock()  # the app's, found once (`now_utc` looks it up each time)
        self.writes = Writes(autocommit=True)  # the marks, made by the sender
        # The claims, on a connection of their own: the next batch is claimed while the
        # sender still sends (and marks) the last mails of the one before.
        self.claims = Writes(autocommit=True, background=False)
        self.timings = Counter()  # seconds spent: claim, check, render, smtp (the bench's)

    def now(self) -> datetime:
        return self.fixed_now or self.clock.now()

    def stopping(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def late(self, claimed_at: float) -> bool:
        """Never send on a lease that may have expired: another dispatcher may own it."""
        return monotonic(self.clock) - claimed_at > 0.8 * self.lease.total_seconds()


class _Sender:
    """Sends the rendered messages in order and makes every mark of the pass.

    On PostgreSQL it is a thread of its own: an SMTP exchange is mostly waiting (the GIL is
    free), so the next messages are checked and rendered meanwhile — at most `AHEAD` of them
    queued, so a check is never more than a few messages older than its send. It is the only
    user of the marks' connection (claims have their own), and each message's "sent" mark is
    committed before the next one is delivered (before its final "."): a crash still repeats
    only the message in hand. On SQLite (one writer) each item runs at once in the caller's
    thread.
    """

    AHEAD = 2

    def __init__(self, run: _Pass, connection: mailer.Connection):
        self.run, self.connection = run, connection
        connection.before_data = run.writes.wait
        connection.before_data_ready = run.writes.settled
        self.unsent: list[int] = []  # to give back untried after a stop
        self.stopped = False
        self.error: BaseException | None = None
        self.queue: queue.Queue | None = None
        if run.writes.connection is not None:
            self.queue = queue.Queue(maxsize=self.AHEAD)
            app = current_app._get_current_object()
            self.thread = threading.Thread(target=self._loop, args=(app,), daemon=True)
            self.thread.start()

    def put(self, *item) -> None:
        """("write", statement, params) or ("send", msg, mail, claimed_at), in this order."""
        if self.queue is None:
            self._do(item)
        else:
            self.queue.put(item)

    def halted(self) -> bool:
        """Stopped (a stop request) or failed: put nothing more (a late batch stops nothing)."""
        return self.stopped or self.error is not None

    def join(self) -> None:
        """Wait for everything put so far; a failure of the thread is raised here."""
        if self.queue is not None:
            self.queue.join()
        if self.error is not None:
            raise self.error
        self.run.writes.wait()

    def close(self) -> None:
        if self.queue is not None:
            self.queue.put(None)
            self.thread.join()

    def _loop(self, app) -> None:
        with app.app_context():
            while (item := self.queue.get()) is not None:
                try:
                    if self.error is None:
                        self._do(item)
                except BaseException as exc:  # handed to the dispatching thread by join()
                    self.error = exc
                finally:
                    self.queue.task_done()

    def _do(self, item: tuple) -> None:
        run = self.run
        if item[0] == "write":
            run.writes.run(item[1], item[2])
            return
        _kind, msg, mail, claimed_at = item
        self.stopped = self.stopped or run.stopping()
        if self.stopped:
            self.unsent.append(msg.id)
        elif run.late(claimed_at):  # given back at once: this pass may claim it afresh
            _release(run, [msg.id])
        else:
            _send(msg, mail, run, self.connection)


def dispatch_due(now: datetime | None = None, limit: int = 50, stop=None, timings=None) -> int:
    """One pass: send every due message this dispatcher can claim; returns how many were sent.

    Claims batches of `limit` until nothing is due. `stop` (a threading.Event) ends the pass
    after the message in hand; the rest of the batch is given back at once. `timings` (a
    dict) receives the seconds spent claiming, checking, rendering, on SMTP and marking.
    """
    run = _Pass(now, stop)
    try:
        _drain(run, limit)
    finally:
        try:
            run.writes.close()
        finally:
            run.claims.close()
        if timings is not None:
            timings.update(run.timings, mark=run.writes.blocked)
    return run.sent


def _drain(run: _Pass, limit: int) -> None:
    """Claim, check and render here, batch after batch, while the sender sends: the next
    batch is claimed as soon as this one is rendered, the sender still holding its last
    mails, so it never waits on a claim (nor on a first rendering) between batches. A batch
    whose lease runs late gives back what it did not send, and the pass claims afresh."""
    with mailer.Connection() as connection:
        sender = _Sender(run, connection)
        try:
            while not run.stopping() and not sender.halted():
                started = time.perf_counter()
                batch = _claim_rows(run, _claim_size(run, limit))
                if not batch:
                    break
                claimed_at, sent_before = monotonic(run.clock), run.sent
                run.timings["claim"] += time.perf_counter() - started
                for index, msg in enumerate(batch):
                    if run.stopping() or sender.halted() or run.late(claimed_at):
                        sender.join()
                        _release(run, sender.unsent + [m.id for m in batch[index:]])
                        sender.unsent = []
                        break
                    _prepare(msg, run, sender, claimed_at)
                else:
                    continue
                if run.sent == sent_before:
                    break  # nothing went out since this claim: claiming again would only spin
            sender.join()
            _release(run, sender.unsent)
        finally:
            sender.close()


def _prepare(msg: OutboxMessage, run: _Pass, sender: _Sender, claimed_at: float) -> None:
    """The last checks and the rendering; what to write or send goes to the sender."""
    now = run.now()

    def write(statement, params=None) -> None:
        sender.put("write", statement, params)

    if msg.attempts > run.max_attempts:  # claimed again and again: a dispatcher died on it
        _finish(msg, run, "failed", error=f"gave up after {msg.attempts - 1} attempts", write=write)
        return
    if msg.not_after is not None and as_utc(msg.not_after) <= now:
        _finish(msg, run, "cancelled", error="too late: its time has passed", write=write)
        return
    started = time.perf_counter()
    try:
        holds = still_holds(msg.about, msg.about_version, now)
    except MissingHook as exc:  # fail closed, and visibly: staff see it among the failed
        db.session.rollback()
        _finish(msg, run, "failed", error=str(exc), write=write)
        return
    except Exception as exc:  # the check itself failed: try again later
        db.session.rollback()
        _retry(msg, run, f"about check failed: {exc!r}", write=write)
        return
    if not holds:
        _finish(msg, run, "cancelled", error="no longer applies", write=write)
        return
    session = db.session()
    if session.in_transaction():  # a check read rows: end that transaction before the send
        session.commit()
    rendered = time.perf_counter()
    run.timings["check"] += rendered - started
    try:
        # Flattened here, so the sender thread only talks to the server.
        mail = prepare(render_message(msg, now))
    except Exception as exc:  # a broken template or context fails this message only
        db.session.rollback()
        log.warning("outbox %s: render failed: %r", msg.id, exc)
        _finish(msg, run, "failed", error=f"render error: {exc!r}", write=write)
        return
    run.timings["render"] += time.perf_counter() - rendered
    sender.put("send", msg, mail, claimed_at)


def _send(msg: OutboxMessage, mail, run: _Pass, connection: mailer.Connection) -> None:
    started = time.perf_counter()
    try:
        connection.send(mail)
    except MarkFailed:
        raise
    except mailer.PermanentMailError as exc:
        _finish(msg, run, "failed", error=str(exc))
    except Exception as exc:  # transient (server down, 4xx, timeout): back off and retry
        log.warning("outbox %s: send failed: %r", msg.id, exc)
        _retry(msg, run, repr(exc))
    else:
        run.timings["smtp"] += time.perf_counter() - started
        # Committed before the next message can be delivered (`Writes.wait` before its ".").
        _finish(msg, run, "sent", message_id=mail["Message-ID"], background=True)
        run.sent += 1


@lru_cache(maxsize=1)
def _mark_statement():
    """An UPDATE of one row that only the claim holding its lease can make. One statement
    object for every mark (its SET columns come from the parameters), so SQLAlchemy finds
    its compiled form without building and hashing a new statement per message."""
    table = OutboxMessage.__table__
    return update(table).where(
        table.c.id == bindparam("mark_id"),
        table.c.status == "sending",
        table.c.lease_owner == bindparam("mark_owner"),
    )


def _mine(msg_id: int, owner: str, at: datetime, **values) -> tuple:
    """(statement, parameters): set `values` on the row while this claim holds it."""
    return _mark_statement(), dict(values, updated_at=at, mark_id=msg_id, mark_owner=owner)


def _finish(msg: OutboxMessage, run: _Pass, status: str, error: str | None = None,
            message_id=None, write=None, background: bool = False) -> None:  # fmt: skip
    values: dict = {"status": status, "lease_until": None, "lease_owner": None}
    at = run.clock.now()
    if status == "sent":
        values.update(sent_at=at, message_id=message_id)
    if error:
        values["last_error"] = error[:2000]
    mark = _mine(msg.id, run.owner, at, **values)
    (write or (run.writes.submit if background else run.writes.run))(*mark)


def _retry(msg: OutboxMessage, run: _Pass, error: str, write=None) -> None:
    if msg.attempts >= run.max_attempts:
        _finish(msg, run, "failed", error=f"{error} (after {msg.attempts} attempts)", write=write)
        return
    mark = _mine(
        msg.id,
        run.owner,
        run.clock.now(),
        status="pending",
        due_at=run.now() + retry_delay(msg.attempts),
        lease_until=None,
        lease_owner=None,
        last_error=error[:2000],
    )
    (write or run.writes.run)(*mark)


def _release(run: _Pass, ids: list[int]) -> None:
    """Give claimed rows back untried, so they need not wait for the lease to expire."""
    if not ids:
        return
    table = OutboxMessage.__table__
    run.writes.run(
        update(table)
        .where(table.c.id.in_(ids), table.c.status == "sending", table.c.lease_owner == run.owner)
        .values(status="pending", lease_until=None, lease_owner=None, attempts=table.c.attempts - 1)
    )
