"""Mail about something created in this very transaction: no outbox row can exist for it yet.

Planning a message looks its key up first (planning again re-times one row), and planning a
booking's mail cancels what an earlier state of it planned. For a registration inserted a
moment ago both are pointless round trips, taken in the middle of an opening-minute rush. Inside
`with new_subject("registration:42"):` the keys of that subject (`registration:42:…`,
`reminder:registration:42:…`) are known to be new: `plan_message` holds its row without a
lookup, cancelling them is a no-op, and the rows held are written by one Core INSERT when the
block ends without an exception (no ORM objects, no unit-of-work flush).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import insert

from booking.extensions import db
from booking.notifications.models import OutboxMessage

# One short statement run for every row (the DB-API's `executemany`; psycopg sends them all in
# one round trip, as a pipeline). Not one multi-row VALUES statement (what RETURNING would make
# SQLAlchemy write): its text changes with the number of rows and, with more than 50
# parameters, psycopg parses it afresh on every request.
_INSERT = insert(OutboxMessage.__table__)
_NEW: ContextVar[tuple[str, ...]] = ContextVar("tsunagu_new_subjects", default=())
_HELD: ContextVar[list[dict] | None] = ContextVar("tsunagu_new_rows", default=None)


@contextmanager
def new_subject(about: str) -> Iterator[None]:
    """Plan mail about `about`, created in this transaction (before anything about it)."""
    outer = _HELD.get()
    rows: list[dict] = outer if outer is not None else []
    token = _NEW.set((*_NEW.get(), f"{about}:"))
    held = _HELD.set(rows)
    try:
        yield
    finally:
        _HELD.reset(held)
        _NEW.reset(token)
    if outer is None and rows:  # the outermost block writes what every block held
        # Core on the session's connection: rows of a table, no ORM execution around them.
        db.session.connection().execute(_INSERT, rows)


def is_new(key: str) -> bool:
    """Whether an outbox key (or key prefix) names mail about a subject created just now."""
    return any(f":{subject}" in f":{key}:" for subject in _NEW.get())


def hold(row: dict) -> None:
    """Keep a new outbox row (every column `plan_message` sets) for the block's one INSERT."""
    rows = _HELD.get()
    if rows is None:
        raise RuntimeError("hold() outside new_subject()")
    rows.append(row)
