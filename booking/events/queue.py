"""Where a person stands on a frame's waitlist (the order promotion follows: rank, then id).

Below the registration rules, so the mails that name a position need not import them.
"""

from __future__ import annotations

from sqlalchemy import func, select

from booking.events.models import Registration
from booking.extensions import db


def waitlist_position(reg: Registration) -> int | None:
    """キャンセル待ちN番目 (1-based), or None when not waiting."""
    if reg.status != "waitlisted":
        return None
    ahead = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.frame_id == reg.frame_id,
            Registration.status == "waitlisted",
            (Registration.queue_rank < reg.queue_rank)
            | ((Registration.queue_rank == reg.queue_rank) & (Registration.id < reg.id)),
        )
    )
    return ahead + 1
