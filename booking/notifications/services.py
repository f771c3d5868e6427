"""Planning messages into the outbox. Services call these inside their own transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, literal, select, union_all, update

from booking.errors import Conflict, NotFound
from booking.extensions import db
from booking.notifications.models import STATUSES, OutboxMessage
from booking.notifications.new_subjects import hold, is_new
from booking.timefmt import as_utc, now_utc

# Addresses of people who gave none (a walk-in at the fair) live under this reserved domain
# (RFC 6761: `.invalid` never resolves), so nothing is ever planned to them.
UNDELIVERABLE_DOMAIN = "walk-in.invalid"


def deliverable(recipient: str) -> bool:
    """Whether mail to `recipient` can reach anybody at all."""
    return not (recipient or "").lower().rstrip(">").endswith(".invalid")


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
    not_after: datetime | None = None,
    reply_to: str | None = None,
) -> OutboxMessage | None:
    """Plan one mail; planning the same key again keeps one row and re-times it.

    A pending (or cancelled) row takes the new values; one already sending, sent or failed
    is left alone, so a key is mailed at most once. `about` ("registration:42") and
    `about_version` let the dispatcher drop the mail if that thing changed or went away;
    `not_after` drops it when it would arrive too late; `invite` ("REQUEST"/"CANCEL")
    attaches its calendar entry; `transactional=False` adds List-Unsubscribe. Mail to an
    address that cannot be delivered (`deliverable`) is not planned: None. Mail about a
    subject created in this transaction (`new_subjects`) is held for one INSERT: None too.
    """
    if not deliverable(recipient):
        return None
    values = {
        "status": "pending", "recipient": recipient, "template": template, "context": context,
        "locale": locale, "due_at": as_utc(due_at) if due_at else now_utc(), "about": about,
        "about_version": about_version, "transactional": transactional, "ics": ics,
        "invite": invite, "not_after": as_utc(not_after) if not_after else None,
        "reply_to": reply_to, "last_error": None,
    }  # fmt: skip
    new = {"dedupe_key": dedupe_key, "attempts": 0, "resends": 0}
    if is_new(dedupe_key):  # about something created in this transaction: no row yet
        hold(values | new)  # written with the other new rows as the `new_subject` block ends
        return None
    msg = db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key))
    if msg is None:
        msg = OutboxMessage(**new)
        db.session.add(msg)
    elif msg.status not in ("pending", "cancelled"):
        return msg
    for key, value in values.items():
        setattr(msg, key, value)
    db.session.flush()
    return msg


def cancel_messages(prefix: str) -> int:
    """Cancel what is still pending under a dedupe-key prefix (a booking, an event)."""
    if is_new(prefix):
        return 0
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.dedupe_key.startswith(prefix, autoescape=True))
        .where(OutboxMessage.status == "pending")
        .values(status="cancelled", updated_at=now_utc())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


# --- staff: the delivery log -------------------------------------------------------------

PAGE_SIZE = 50


def _filtered(query, status: str = "", q: str = "", abouts=None):
    if status == "retrying":
        query = query.where(OutboxMessage.status == "pending", OutboxMessage.attempts > 0)
    elif status == "pending":
        query = query.where(OutboxMessage.status == "pending", OutboxMessage.attempts == 0)
    elif status in STATUSES:
        query = query.where(OutboxMessage.status == status)
    if q:
        needle = q.strip().lower()
        query = query.where(func.lower(OutboxMessage.recipient).contains(needle, autoescape=True))
    if abouts is not None:
        query = query.where(OutboxMessage.about.in_(abouts))
    return query


def list_messages(
    status: str = "", q: str = "", before_id: int | None = None, abouts=None
) -> list[OutboxMessage]:
    """Newest first, filtered by status (`retrying`: pending after a failure), a recipient
    search and `abouts` (a selectable of `about` values: one event's mail); paged by id."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(PAGE_SIZE + 1)
    query = _filtered(query, status, q, abouts)
    if before_id:
        query = query.where(OutboxMessage.id < before_id)
    return list(db.session.scalars(query))


def event_abouts(event_ids):
    """The `about` values of some events' mail (a list or a selectable of event ids), from
    every domain that registered them."""
    from booking.notifications.hooks import hooks_of

    providers = hooks_of().event_abouts.values()
    return union_all(*(part for provider in providers for part in provider(event_ids)))


def unit_abouts(event_ids, unit_id: int | None):
    """What staff of one unit see of the log: their events' mail and their unit's bookings'."""
    from booking.notifications.hooks import hooks_of

    hooks = hooks_of()
    parts = [part for provider in hooks.event_abouts.values() for part in provider(event_ids)]
    if unit_id is not None:
        parts += [part for provider in hooks.unit_abouts.values() for part in provider(unit_id)]
    return union_all(*parts)


def message_in(message_id: int, abouts) -> bool:
    """Whether a message is about one of `abouts` (a selectable of `about` values)."""
    return (
        db.session.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.id == message_id, OutboxMessage.about.in_(abouts)
            )
        )
        is not None
    )


def status_counts(q: str = "", abouts=None) -> dict[str, int]:
    """{status: count} under the same search and event as the list (`retrying` apart)."""
    # One expression object in both places: PostgreSQL matches the grouped expression only if
    # it is the same text, and `attempts > 0` written twice would bind two parameters.
    tried = (OutboxMessage.attempts > literal(0, literal_execute=True)).label("tried")
    query = select(OutboxMessage.status, tried, func.count()).group_by(OutboxMessage.status, tried)
    counts = dict.fromkeys(("retrying", *STATUSES), 0)
    for status, tried, n in db.session.execute(_filtered(query, "", q, abouts)).all():
        key = "retrying" if status == "pending" and tried else status
        counts[key] = counts.get(key, 0) + n
    return counts


def failed_count() -> int:
    return db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "failed")
    )


def resend_message(message_id: int, now: datetime) -> OutboxMessage:
    """Staff: send a failed, cancelled or sent message (again) at the next pass.

    :raises NotFound: no such message.
    :raises Conflict: it is being sent right now, or is already waiting.
    """
    msg = db.session.get(OutboxMessage, message_id)
    if msg is None:
        raise NotFound()
    if msg.status in ("pending", "sending"):
        raise Conflict()
    if msg.status == "sent":
        msg.resends += 1  # a new Message-ID, or the recipient's client may hide it as a copy
    msg.status, msg.due_at, msg.attempts, msg.not_after = "pending", now, 0, None
    msg.lease_until = msg.lease_owner = None
    db.session.flush()
    return msg


def cancel_message(message_id: int, now: datetime) -> OutboxMessage:
    """Staff: stop a message that has not gone out yet.

    :raises NotFound: no such message.
    :raises Conflict: it was already sent (or is being sent right now).
    """
    msg = db.session.get(OutboxMessage, message_id)
    if msg is None:
        raise NotFound()
    changed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status.in_(("pending", "failed")))
        .values(status="cancelled", updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed and msg.status != "cancelled":
        raise Conflict()
    db.session.refresh(msg)
    return msg
