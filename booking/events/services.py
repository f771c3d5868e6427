"""Event rules: who may see what."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from booking.events.models import Event
from booking.extensions import db


def can_see_member_only(viewer) -> bool:
    return bool(getattr(viewer, "is_authenticated", False) and viewer.is_member)


def visible_events(viewer) -> Select:
    """Published events the viewer may see: member-only ones only for members."""
    query = select(Event).where(Event.status == "published")
    if not can_see_member_only(viewer):
        query = query.where(Event.member_only.is_(False))
    return query


def upcoming_events(viewer, now: datetime, limit: int = 10) -> list[Event]:
    """The next events that have not ended yet, soonest first, with frames and unit loaded."""
    query = (
        visible_events(viewer)
        .where(Event.ends_at > now)
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
        .options(selectinload(Event.frames), selectinload(Event.unit))
    )
    return list(db.session.scalars(query))
