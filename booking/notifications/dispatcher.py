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

import hashlib
import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache
from types import SimpleNamespace
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import and_, or_, select, update

from booking.database import session_state_allowed
from booking.extensions import db
from booking.notifications import mailer
from booking.notifications.hooks import MissingHook, build_invitation, still_holds
from booking.notifications.models import OutboxMessage
from booking.timefmt import as_utc, now_utc, to_local
from booking.tokens import new_token

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=6)


def message_id_for(dedupe_key: str, resends: int = 0) -> str:
    """Deterministic: a message re-sent after a crash carries the same Message-ID."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "tsunagu.local"
    seed = dedupe_key if not resends else f"{dedupe_key}/r{resends}"
    digest = hashlib.sha256(seed.encode()).hexdigest()[:32]
    return f"<{digest}@{host}>"


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
    now: datetime, limit: int = 50, owner: str | None = None, writes: _Writes | None = None
) -> list[int]:
    """Claim up to `limit` due rows for `owner` (one conditional UPDATE) and commit the claim."""
    owner = owner or new_token()[:32]
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
    statement = statement.values(
        status="sending",
        lease_until=now + lease,
        lease_owner=owner,
        attempts=OutboxMessage.attempts + 1,
        updated_at=now,
    ).returning(OutboxMessage.id)
    return sorted((writes or _Writes()).run(statement, returning=True))


class _Writes:
    """Where the dispatcher's own writes go, each committed at once, one at a time.

    On PostgreSQL: a connection in autocommit, so a mark is one statement and one round trip;
    a "sent" mark may run in a helper thread while the next message is checked and rendered,
    but `wait()` makes sure it is committed before that next message goes out, so a crash
    can still repeat only the message in hand. On SQLite: the session, committed each time.
    """

    def __init__(self, autocommit: bool = False):
        self.connection = None
        self._session_set = False
        self._executor: ThreadPoolExecutor | None = None
        self._pending: Future | None = None
        if autocommit and db.engine.dialect.name == "postgresql":
            self.connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-mark")
            self._session_set = (
                not current_app.config.get("MAIL_MARKS_SYNCHRONOUS", False)
                and session_state_allowed()
            )
            if self._session_set:
                # Behind PgBouncer (transaction pooling) a session SET would stay on a server
                # connection other clients get next: the marks are synchronous there.
                # A mark need not wait for its WAL flush (1.8 ms → 0.3 ms here). Other
                # dispatchers see it at once; only a crash of the database server itself
                # could lose the last ~0.6 s of marks, and then those messages are sent
                # again after their lease: never lost. MAIL_MARKS_SYNCHRONOUS=True waits.
                self.connection.exec_driver_sql("SET synchronous_commit TO OFF")

    def run(self, statement, returning: bool = False):
        self.wait()
        if self.connection is not None:
            result = self.connection.execute(statement)
            return result.scalars().all() if returning else result.rowcount
        result = db.session.connection().execute(statement)
        value = result.scalars().all() if returning else result.rowcount
        db.session.commit()
        return value

    def submit(self, statement) -> None:
        """Run a write in the background (PostgreSQL); the next write or `wait()` joins it."""
        if self._executor is None:
            self.run(statement)
            return
        self.wait()
        self._pending = self._executor.submit(self.connection.execute, statement)

    def wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
            if self.connection is not None:
                if self._session_set:
                    self.connection.exec_driver_sql("RESET synchronous_commit")  # back to the pool
                self.connection.close()
                self.connection = None


def render_message(msg: OutboxMessage, now: datetime | None = None) -> Message:
    """Render a row into a multipart text + HTML mail in the recipient's language.

    Built with the classic MIME classes rather than `EmailMessage`: the result on the wire is
    the same (UTF-8 parts in base64, encoded-word subject and names) at a third of the cost,
    which matters when thousands of reminders fall due at once.
    """
    cfg = current_app.config
    ctx = dict(msg.context or {}, recipient=msg.recipient)
    with force_locale(msg.locale or "ja"):
        subject = render_template(f"emails/{msg.template}.subject.txt", **ctx).strip()
        text = render_template(f"emails/{msg.template}.txt", **ctx)
        html = render_template(f"emails/{msg.template}.html", **ctx)
    body = MIMEMultipart(
        "alternative", _subparts=[MIMEText(text, "plain", "utf-8"), MIMEText(html, "html", "utf-8")]
    )
    # Our own boundaries: every part is base64, so no line can start with "--=_"; and the
    # generator need not search each message for a free random one (a regex per message).
    message_id = message_id_for(msg.dedupe_key, msg.resends or 0)
    tag = message_id[1:17]
    body.set_boundary(f"=_alt_{tag}")
    ics = msg.ics or (
        build_invitation(msg.about, msg.invite, msg.recipient) if msg.invite else None
    )
    if ics:
        invitation = MIMEText(ics, "calendar", "utf-8")
        invitation.set_param("method", "CANCEL" if "METHOD:CANCEL" in ics else "REQUEST")
        invitation.add_header("Content-Disposition", "attachment", filename="invite.ics")
        mail = MIMEMultipart("mixed", _subparts=[body, invitation], boundary=f"=_mix_{tag}")
    else:
        mail = body
    mail["Subject"] = Header(" ".join(subject.split()), "utf-8")
    mail["From"] = encode_address(cfg["MAIL_FROM"])
    mail["To"] = encode_address(msg.recipient)
    reply_to = msg.reply_to or cfg.get("MAIL_REPLY_TO")
    if reply_to:
        mail["Reply-To"] = encode_address(reply_to)
    mail["Date"] = format_datetime(to_local(now or now_utc()))
    mail["Message-ID"] = message_id
    mail["Auto-Submitted"] = "auto-generated"
    if not msg.transactional:
        # A mail planned with its own signed opt-out link (`unsubscribe_url`) offers the
        # one-click opt-out of RFC 8058: the mail client POSTs to it, no login, no page.
        one_click = (msg.context or {}).get("unsubscribe_url")
        mail["List-Unsubscribe"] = f"<{one_click or cfg['BASE_URL'] + '/mypage/profile'}>"
        if one_click:
            mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return mail


def summary_line(msg: OutboxMessage) -> str:
    """One line about a planned mail: when it is due, to whom, its subject."""
    ctx = dict(msg.context or {}, recipient=msg.recipient)
    with force_locale(msg.locale or "ja"):
        subject = render_template(f"emails/{msg.template}.subject.txt", **ctx).strip()
    due = to_local(msg.due_at).strftime("%m-%d %H:%M")
    return f"{due}  {msg.recipient}  {' '.join(subject.split())}"


@lru_cache(maxsize=256)
def encode_address(value: str) -> str:
    """`東京商工会議所 <noreply@…>` → an RFC 2047 encoded display name and the bare address."""
    name, address = parseaddr(value)
    if not address:
        return value
    return formataddr((name, address), charset="utf-8") if name else address


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
        self.writes = _Writes(autocommit=True)

    def now(self) -> datetime:
        return self.fixed_now or now_utc()

    def stopping(self) -> bool:
        return self.stop is not None and self.stop.is_set()


def dispatch_due(now: datetime | None = None, limit: int = 50, stop=None) -> int:
    """One pass: send every due message this dispatcher can claim; returns how many were sent.

    Claims batches of `limit` until nothing is due. `stop` (a threading.Event) ends the pass
    after the message in hand; the rest of the batch is given back at once.
    """
    run = _Pass(now, stop)
    try:
        _drain(run, limit)
    finally:
        run.writes.close()
    return run.sent


def _drain(run: _Pass, limit: int) -> None:
    with mailer.Connection() as connection:
        while not run.stopping():
            ids = claim_due_messages(run.now(), limit, run.owner, run.writes)
            if not ids:
                break
            claimed_at = time.monotonic()
            # Plain snapshots, not ORM objects: the commits below must not reload them, and a
            # caller's session (a test's) keeps its own objects untouched.
            table = OutboxMessage.__table__
            rows = db.session.execute(
                select(table).where(table.c.id.in_(ids)).order_by(table.c.due_at, table.c.id)
            ).mappings()
            batch = [SimpleNamespace(**row) for row in rows]
            db.session.commit()
            for index, msg in enumerate(batch):
                # Never send on a lease that may have expired: another dispatcher may own it.
                late = time.monotonic() - claimed_at > 0.8 * run.lease.total_seconds()
                if run.stopping() or late:
                    _release(run, [m.id for m in batch[index:]])
                    break
                _handle(msg, run, connection)


def _handle(msg: OutboxMessage, run: _Pass, connection: mailer.Connection) -> None:
    now = run.now()
    if msg.attempts > run.max_attempts:  # claimed again and again: a dispatcher died on it
        _finish(msg, run, "failed", error=f"gave up after {msg.attempts - 1} attempts")
        return
    if msg.not_after is not None and as_utc(msg.not_after) <= now:
        _finish(msg, run, "cancelled", error="too late: its time has passed")
        return
    try:
        holds = still_holds(msg.about, msg.about_version, now)
    except MissingHook as exc:  # fail closed, and visibly: staff see it among the failed
        db.session.rollback()
        _finish(msg, run, "failed", error=str(exc))
        return
    except Exception as exc:  # the check itself failed: try again later
        db.session.rollback()
        _retry(msg, run, f"about check failed: {exc!r}")
        return
    if not holds:
        _finish(msg, run, "cancelled", error="no longer applies")
        return
    try:
        mail = render_message(msg, now)
    except Exception as exc:  # a broken template or context fails this message only
        db.session.rollback()
        log.warning("outbox %s: render failed: %r", msg.id, exc)
        _finish(msg, run, "failed", error=f"render error: {exc!r}")
        return
    db.session.commit()  # end any read transaction before talking to the mail server
    run.writes.wait()  # the previous message is marked sent before this one goes out
    try:
        connection.send(mail)
    except mailer.PermanentMailError as exc:
        _finish(msg, run, "failed", error=str(exc))
    except Exception as exc:  # transient (server down, 4xx, timeout): back off and retry
        log.warning("outbox %s: send failed: %r", msg.id, exc)
        _retry(msg, run, repr(exc))
    else:
        _finish(msg, run, "sent", message_id=mail["Message-ID"], background=True)
        run.sent += 1


def _mine(msg_id: int, owner: str):
    """An UPDATE of one row that only the claim holding its lease can make (Core: cheap)."""
    table = OutboxMessage.__table__
    return (
        update(table)
        .where(table.c.id == msg_id, table.c.status == "sending", table.c.lease_owner == owner)
        .values(updated_at=now_utc())
    )


def _finish(
    msg: OutboxMessage,
    run: _Pass,
    status: str,
    error: str | None = None,
    message_id=None,
    background: bool = False,
) -> None:
    values: dict = {"status": status, "lease_until": None, "lease_owner": None}
    if status == "sent":
        values.update(sent_at=now_utc(), message_id=message_id)
    if error:
        values["last_error"] = error[:2000]
    statement = _mine(msg.id, run.owner).values(**values)
    if background:
        run.writes.submit(statement)
    else:
        run.writes.run(statement)


def _retry(msg: OutboxMessage, run: _Pass, error: str) -> None:
    if msg.attempts >= run.max_attempts:
        _finish(msg, run, "failed", error=f"{error} (after {msg.attempts} attempts)")
        return
    run.writes.run(
        _mine(msg.id, run.owner).values(
            status="pending",
            due_at=run.now() + retry_delay(msg.attempts),
            lease_until=None,
            lease_owner=None,
            last_error=error[:2000],
        )
    )


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
