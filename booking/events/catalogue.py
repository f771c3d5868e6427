"""The event catalogue: which events a person sees, finds and has booked, and how full they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, func, literal, or_, select
from sqlalchemy.orm import joinedload, selectinload

from booking.errors import NotFound
from booking.events.models import FORMATS, KINDS, Event, Frame, Registration
from booking.extensions import db
from booking.org.services import unit_by_key
from booking.timefmt import as_utc


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


@dataclass
class EventFilters:
    kind: str = ""
    unit: str = ""  # "hq", "branch:chiyoda", "section:ict", …
    format: str = ""
    q: str = ""
    date_from: datetime | None = None
    date_to: datetime | None = None
    has_seats: bool = False
    include_past: bool = False


def _matching(viewer, filters: EventFilters, now: datetime) -> Select | None:
    """Visible events matching the filters (None: the filters name an unknown unit)."""
    query = visible_events(viewer)
    if not filters.include_past and filters.date_from is None:
        query = query.where(Event.ends_at > now)
    if filters.kind in KINDS:
        query = query.where(Event.kind == filters.kind)
    if filters.format in FORMATS:
        query = query.where(Event.format == filters.format)
    if filters.unit:
        unit = unit_by_key(filters.unit)
        if unit is None:
            return None
        tagged = exists().where(
            Event.tags.property.secondary.c.event_id == Event.id,
            Event.tags.property.secondary.c.unit_id == unit.id,
        )
        query = query.where(or_(Event.unit_id == unit.id, tagged))
    if filters.date_from is not None:
        query = query.where(Event.ends_at >= as_utc(filters.date_from))
    if filters.date_to is not None:
        query = query.where(Event.starts_at < as_utc(filters.date_to))
    if filters.q:
        for word in filters.q.split()[:5]:
            like = f"%{word}%"
            query = query.where(
                or_(Event.title.ilike(like), Event.summary.ilike(like), Event.speakers.ilike(like))
            )
    if filters.has_seats:
        query = query.where(has_seat_left())
    return query


def has_seat_left():
    """The event has a frame with a seat left (the list's 空席あり).

    A scalar subquery with LIMIT 1, not EXISTS: PostgreSQL turns an EXISTS into a semi join
    whose plan rests on the tables' statistics, and on tables not yet analysed (just filled,
    autovacuum off) it chose a nested loop reading every frame for every event (0.4 million
    rows for 1,000 events). This one stays a probe of `ix_frames_event_id` per event whatever
    the statistics say."""
    seat = (
        select(literal(1))
        .where(Frame.event_id == Event.id, Frame.taken < Frame.capacity)
        .limit(1)
        .scalar_subquery()
    )
    return seat.is_not(None)


def find_events(
    viewer, filters: EventFilters, now: datetime, limit: int = 200, offset: int = 0
) -> list[Event]:
    """Visible events matching the filters, soonest first; a fixed number of queries."""
    query = _matching(viewer, filters, now)
    if query is None:
        return []
    query = (
        query.order_by(Event.starts_at, Event.id)
        .limit(limit)
        .offset(offset)
        .options(selectinload(Event.frames), joinedload(Event.unit, innerjoin=True))
    )
    return list(db.session.scalars(query))


def count_events(viewer, filters: EventFilters, now: datetime) -> int:
    """How many events `find_events` would find with no limit (the list's result count)."""
    query = _matching(viewer, filters, now)
    if query is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def get_visible_event(event_id: int, viewer, options=()) -> Event:
    """An event the viewer may see (staff see drafts too). :raises NotFound:

    `options`: loader options for what the caller reads next (in the same statement).
    """
    return visible_event(db.session.get(Event, event_id, options=options), viewer)


def visible_event(event: Event | None, viewer) -> Event:
    """`event` if the viewer may see it (staff see drafts too). :raises NotFound:"""
    if event is None:
        raise NotFound(_l("イベントが見つかりません。"))
    if getattr(viewer, "is_authenticated", False) and viewer.is_staff:
        return event
    if event.status == "draft" or (event.member_only and not can_see_member_only(viewer)):
        raise NotFound(_l("イベントが見つかりません。"))
    return event


def confirmed_counts(event_ids: list[int]) -> dict[int, dict[str, int]]:
    """{event_id: {status: count}} of active registrations, in one query."""
    if not event_ids:
        return {}
    rows = db.session.execute(
        select(Registration.event_id, Registration.status, func.count())
        .where(Registration.event_id.in_(event_ids))
        .group_by(Registration.event_id, Registration.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for event_id, status, n in rows:
        counts.setdefault(event_id, {})[status] = n
    return counts


def frame_counts(event_id: int, status: str) -> dict[int, int]:
    """{frame_id: number of the event's registrations in `status`}, in one query."""
    rows = db.session.execute(
        select(Registration.frame_id, func.count())
        .where(Registration.event_id == event_id, Registration.status == status)
        .group_by(Registration.frame_id)
    )
    return dict(rows.all())


def checked_in_count(event_id: int) -> int:
    """How many of the event's registrations were checked in at the door."""
    return db.session.scalar(
        select(func.count()).where(
            Registration.event_id == event_id, Registration.checked_in_at.is_not(None)
        )
    )


def my_registrations(user, now: datetime) -> tuple[list[Registration], list[Registration]]:
    """(upcoming, past) registrations of a person for My Page, cancelled ones too (the
    timeline says what became of each)."""
    regs = list(
        db.session.scalars(
            select(Registration)
            .join(Event, Event.id == Registration.event_id)
            .where(Registration.user_id == user.id)
            .order_by(Event.starts_at, Registration.id)
            .options(
                selectinload(Registration.event).selectinload(Event.unit),
                selectinload(Registration.frame),
            )
        )
    )
    upcoming = [r for r in regs if as_utc(r.event.ends_at) > now]
    past = [r for r in reversed(regs) if as_utc(r.event.ends_at) <= now]
    return upcoming, past
