"""Where a person stands on a frame's waitlist (the order promotion follows: rank, then id).

Below the registration rules, so the mails that name a position need not import them.
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, select

from booking.events.models import Registration
from booking.extensions import db

# How many wait ahead of a person: built once, not per call. ORM-enabled, so the session
# still flushes what it holds before counting; a new registration reads it in the statement
# that reads its frame's seats (`registrations._waiting_at`), with the same parameters.
AHEAD = (
    select(func.count())
    .select_from(Registration)
    .where(
        Registration.frame_id == bindparam("frame_id"),
        Registration.status == "waitlisted",
        (Registration.queue_rank < bindparam("rank"))
        | ((Registration.queue_rank == bindparam("rank")) & (Registration.id < bindparam("id"))),
    )
)


def waitlist_position(reg: Registration) -> int | None:
    """キャンセル待ちN番目 (1-based), or None when not waiting."""
    if reg.status != "waitlisted":
        return None
    ahead = db.session.execute(
        AHEAD, {"frame_id": reg.frame_id, "rank": reg.queue_rank, "id": reg.id}
    ).scalar_one()
    return ahead + 1
