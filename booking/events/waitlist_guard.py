"""The waitlist guard: a registration that finds its frame full never waits on the seat lock,
and still no promotion is lost.

A registration decides "waitlisted" by reading the frame's seats without locking its row,
so it never queues behind the people taking the last seats. That read alone would race a
cancellation: the cancellation frees a seat and reads the waitlist before the new waiting
person has committed, finds nobody, and leaves the seat free while that person waits.

So the decision is taken under a shared transaction-level advisory lock on the frame
(`hold_for_waitlisting`), and everything that promotes from a waitlist reads it under the
same lock held exclusively (`hold_for_promoting`): the promoter then waits for the people
joining the waitlist to commit and sees them, or they wait for the promoter and see the seat
it left free. Shared holders never block each other, and the seat takers of a rush never
take it. Transaction-level locks end with the transaction (PgBouncer's transaction pooling
keeps them); a rollback to a savepoint taken before them releases them too.

Deadlock-free by one rule: whoever holds the shared guard never waits on the frame's row
(`registrations.seek_seat` has the unit of work roll the guard back and run again before it
tries a seat), so a promoter may hold the row while it waits for the guard. SQLite runs one writer at a time: no guard.
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, select

from booking.extensions import db

# The first key of the two-key advisory lock: "waitlist of frame <id>" (any constant that no
# other advisory lock of the app uses).
_WAITLIST = 15_001
# Built once; run as Core on the session's connection (every waitlisted answer takes one).
_SHARED = select(func.pg_advisory_xact_lock_shared(_WAITLIST, bindparam("frame_id")))
_EXCLUSIVE = select(func.pg_advisory_xact_lock(_WAITLIST, bindparam("frame_id")))


def _hold(lock, frame_id: int) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.connection().execute(lock, {"frame_id": frame_id})


def hold_for_waitlisting(frame_id: int) -> None:
    """Shared: many people may join the frame's waitlist at once."""
    _hold(_SHARED, frame_id)


def hold_for_promoting(frame_id: int) -> None:
    """Exclusive: the waitlist read after this includes everyone who joined it."""
    _hold(_EXCLUSIVE, frame_id)
