"""Following units and opting out of (or back into) the weekly digest."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from booking.errors import NotAllowed, NotFound
from booking.extensions import db
from booking.follows.models import DigestState, Follow
from booking.follows.policy import followable, may_follow
from booking.org.models import Unit
from booking.org.services import unit_by_key


def follows_of(user) -> list[Follow]:
    """A person's follows, branches first, then sections and groups, in the units' order."""
    return list(
        db.session.scalars(
            select(Follow)
            .join(Unit, Unit.id == Follow.unit_id)
            .where(Follow.user_id == user.id)
            .order_by(Unit.kind, Unit.position)
        )
    )


def followed_unit_ids(user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(db.session.scalars(select(Follow.unit_id).where(Follow.user_id == user.id)))


def digest_state(user) -> DigestState | None:
    return db.session.get(DigestState, user.id)


def follow(user, unit_key: str) -> Unit:
    """Follow a branch, section or group by its key (`branch:chiyoda`); following twice is
    one follow.

    :raises NotAllowed: the person may not follow (a guest).
    :raises NotFound: no such unit, or one that cannot be followed.
    """
    if not may_follow(user):
        raise NotAllowed(_l("フォローは会員の方がご利用いただけます。"))
    unit = unit_by_key(unit_key)
    if not followable(unit):
        raise NotFound(_l("フォローできる対象が見つかりません。"))
    exists = db.session.scalar(
        select(Follow.id).where(Follow.user_id == user.id, Follow.unit_id == unit.id)
    )
    if exists is None:
        db.session.add(Follow(user_id=user.id, unit_id=unit.id))
    # Every follower has a digest row: the weekly job claims weeks on it.
    if db.session.get(DigestState, user.id) is None:
        db.session.add(DigestState(user_id=user.id, week="", announced=[]))
    db.session.flush()
    return unit


def unfollow(user, unit_key: str) -> Unit:
    """Stop following a unit (nothing happens if it was not followed).

    :raises NotFound: no such unit.
    """
    unit = unit_by_key(unit_key)
    if unit is None:
        raise NotFound(_l("フォローできる対象が見つかりません。"))
    follow_row = db.session.scalar(
        select(Follow).where(Follow.user_id == user.id, Follow.unit_id == unit.id)
    )
    if follow_row is not None:
        db.session.delete(follow_row)
        db.session.flush()
    return unit


def set_digest(user_id: int, wanted: bool, now: datetime) -> bool:
    """Opt out of (or back into) the weekly digest; False when the person has no digest."""
    state = db.session.get(DigestState, user_id)
    if state is None:
        return False
    state.opted_out_at = None if wanted else (state.opted_out_at or now)
    db.session.flush()
    return True
