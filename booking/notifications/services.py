"""Planning messages into the outbox. Services call these inside their own transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from booking.extensions import db
from booking.notifications.models import OutboxMessage
from booking.timefmt import as_utc, now_utc


def plan_message(
    dedupe_key: str,
    recipient: str,
    template: str,
    context: dict,
    *,
    locale: str = "ja",
    due_at: datetime | None = None,
    about: str = "",
    about_version: int | None = None,
    transactional: bool = True,
    ics: str | None = None,
    invite: str | None = None,
) -> OutboxMessage:
    """Plan one mail; planning the same key again keeps one row and re-times it if pending.

    `about` ("registration:42") and `about_version` let the dispatcher drop the mail if that
    thing changed or went away; `invite` ("REQUEST"/"CANCEL") attaches its calendar entry.
    """
    due = as_utc(due_at) if due_at else now_utc()
    msg = db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key))
    if msg is None:
        msg = OutboxMessage(dedupe_key=dedupe_key, status="pending")
        db.session.add(msg)
    elif msg.status != "pending":
        return msg
    msg.recipient, msg.template, msg.context, msg.locale = recipient, template, context, locale
    msg.due_at, msg.about, msg.about_version = due, about, about_version
    msg.transactional, msg.ics, msg.invite = transactional, ics, invite
    db.session.flush()
    return msg


def cancel_messages(prefix: str) -> int:
    """Cancel what is still pending under a dedupe-key prefix (a booking, an event)."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.dedupe_key.startswith(prefix, autoescape=True))
        .where(OutboxMessage.status == "pending")
        .values(status="cancelled", updated_at=now_utc())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
