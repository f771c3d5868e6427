"""The dispatcher: claim due outbox rows with a lease, render, send, mark sent.

Claiming is a conditional UPDATE (pending → sending, or an expired lease), so any number of
dispatchers may run against one database and each message is sent by the one that won it.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import or_, select, update

from booking.extensions import db
from booking.notifications import mailer
from booking.notifications.hooks import build_invitation, still_holds
from booking.notifications.models import OutboxMessage
from booking.timefmt import now_utc

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 6


def message_id_for(dedupe_key: str) -> str:
    """Deterministic: a message re-sent after a crash carries the same Message-ID."""
    from urllib.parse import urlsplit

    host = urlsplit(current_app.config["BASE_URL"]).hostname or "tsunagu.local"
    digest = hashlib.sha256(dedupe_key.encode()).hexdigest()[:32]
    return f"<{digest}@{host}>"


def claim_due_messages(now: datetime, limit: int = 50) -> list[int]:
    """Claim up to `limit` due rows for this dispatcher and commit the claim."""
    candidates = db.session.scalars(
        select(OutboxMessage.id)
        .where(
            or_(
                (OutboxMessage.status == "pending") & (OutboxMessage.due_at <= now),
                (OutboxMessage.status == "sending") & (OutboxMessage.lease_until < now),
            )
        )
        .order_by(OutboxMessage.due_at)
        .limit(limit)
    ).all()
    claimed = []
    for msg_id in candidates:
        result = db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == msg_id)
            .where(
                or_(
                    OutboxMessage.status == "pending",
                    (OutboxMessage.status == "sending") & (OutboxMessage.lease_until < now),
                )
            )
            .values(status="sending", lease_until=now + LEASE, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            claimed.append(msg_id)
    db.session.commit()
    return claimed


def render_message(msg: OutboxMessage) -> EmailMessage:
    """Render a row into a multipart text + HTML mail in the recipient's language."""
    cfg = current_app.config
    ctx = dict(msg.context or {}, recipient=msg.recipient)
    with force_locale(msg.locale or "ja"):
        subject = render_template(f"emails/{msg.template}.subject.txt", **ctx).strip()
        text = render_template(f"emails/{msg.template}.txt", **ctx)
        html = render_template(f"emails/{msg.template}.html", **ctx)
    mail = EmailMessage()
    mail["Subject"] = " ".join(subject.split())
    mail["From"] = cfg["MAIL_FROM"]
    mail["To"] = msg.recipient
    if cfg.get("MAIL_REPLY_TO"):
        mail["Reply-To"] = cfg["MAIL_REPLY_TO"]
    mail["Date"] = format_datetime(now_utc())
    mail["Message-ID"] = message_id_for(msg.dedupe_key)
    if not msg.transactional:
        mail["List-Unsubscribe"] = f"<{cfg['BASE_URL']}/mypage/profile>"
    mail.set_content(text)
    mail.add_alternative(html, subtype="html")
    ics = msg.ics or (
        build_invitation(msg.about, msg.invite, msg.recipient) if msg.invite else None
    )
    if ics:
        method = "CANCEL" if "METHOD:CANCEL" in ics else "REQUEST"
        mail.add_attachment(
            ics.encode(),
            maintype="text",
            subtype="calendar",
            filename="invite.ics",
            params={"method": method},
        )
    return mail


def dispatch_due(now: datetime | None = None, limit: int = 50, stop=None) -> int:
    """One pass: send every due message this dispatcher can claim; returns how many were sent.

    `stop` (a threading.Event) ends the pass after the message in hand.
    """
    now = now or now_utc()
    sent = 0
    for msg_id in claim_due_messages(now, limit):
        if stop is not None and stop.is_set():
            _release(msg_id)
            continue
        msg = db.session.get(OutboxMessage, msg_id)
        if not still_holds(msg.about, msg.about_version, now):
            _finish(msg, "cancelled", error="no longer applies")
            continue
        try:
            mail = render_message(msg)
            mailer.send(mail)
        except mailer.PermanentMailError as exc:
            _finish(msg, "failed", error=str(exc))
        except Exception as exc:  # a transient fault: back off and retry
            msg.attempts += 1
            if msg.attempts >= MAX_ATTEMPTS:
                _finish(msg, "failed", error=repr(exc))
            else:
                msg.status = "pending"
                msg.last_error = repr(exc)
                msg.due_at = now + timedelta(seconds=30 * 2**msg.attempts)
                msg.lease_until = None
                db.session.commit()
        else:
            msg.message_id = mail["Message-ID"]
            _finish(msg, "sent")
            sent += 1
    return sent


def _finish(msg: OutboxMessage, status: str, error: str | None = None) -> None:
    msg.status = status
    msg.lease_until = None
    if status == "sent":
        msg.sent_at = now_utc()
        msg.attempts += 1
    if error:
        msg.last_error = error
    db.session.commit()


def _release(msg_id: int) -> None:
    """Give a claimed row back when stopping, so it need not wait for the lease to expire."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == msg_id, OutboxMessage.status == "sending")
        .values(status="pending", lease_until=None)
    )
    db.session.commit()
