"""Event rules: who may see and manage what; creating and changing events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import selectinload

from booking.errors import Invalid, NotAllowed, NotFound
from booking.events.models import (
    FORMATS,
    KINDS,
    Event,
    EventSession,
    Frame,
    Question,
    Registration,
)
from booking.events.payload import FrameInput
from booking.extensions import db
from booking.org.models import Unit
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


def find_events(
    viewer, filters: EventFilters, now: datetime, limit: int = 200, offset: int = 0
) -> list[Event]:
    """Visible events matching the filters, soonest first; a fixed number of queries."""
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
            return []
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
        seats = exists().where(Frame.event_id == Event.id, Frame.taken < Frame.capacity)
        query = query.where(seats)
    query = (
        query.order_by(Event.starts_at, Event.id)
        .limit(limit)
        .offset(offset)
        .options(selectinload(Event.frames), selectinload(Event.unit))
    )
    return list(db.session.scalars(query))


def get_visible_event(event_id: int, viewer) -> Event:
    """An event the viewer may see (staff see drafts too). :raises NotFound:"""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound(_l("イベントが見つかりません。"))
    if getattr(viewer, "is_authenticated", False) and viewer.is_staff:
        return event
    if event.status == "draft" or (event.member_only and not can_see_member_only(viewer)):
        raise NotFound(_l("イベントが見つかりません。"))
    return event


def can_manage(user, event_or_unit) -> bool:
    """Staff of a branch manage their unit's events; HQ staff and admins manage all."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return False
    if user.is_admin or (user.unit is not None and user.unit.kind == "hq"):
        return True
    unit_id = event_or_unit.id if isinstance(event_or_unit, Unit) else event_or_unit.unit_id
    return user.unit_id is not None and user.unit_id == unit_id


def managed_events(user) -> Select:
    query = select(Event)
    if not (user.is_admin or (user.unit is not None and user.unit.kind == "hq")):
        query = query.where(Event.unit_id == (user.unit_id or -1))
    return query


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


# ---- creating and changing events (the API and the staff pages share these)


def _check_times(event: Event) -> None:
    if as_utc(event.ends_at) <= as_utc(event.starts_at):
        raise Invalid(_l("終了日時は開始日時より後にしてください。"), field="ends_at")


def create_event(values: dict, by, now: datetime) -> Event:
    """Create an event with its frames, sessions and questions (values from event_from_payload).

    :raises NotAllowed: `by` may not manage the organising unit.
    :raises Invalid: inconsistent values.
    """
    if not can_manage(by, values["unit"]):
        raise NotAllowed(_l("この組織のイベントを作成する権限がありません。"))
    frames = values.pop("frames", [])
    sessions = values.pop("sessions", [])
    questions = values.pop("questions", [])
    tags = values.pop("tags", [])
    if values.get("status") == "cancelled":
        raise Invalid(_l("中止状態のイベントは作成できません。"), field="status")
    event = Event(**values, created_at=now, updated_at=now)
    _check_times(event)
    for i, f in enumerate(frames):
        event.frames.append(_new_frame(f, i))
    for start, end, title in sessions:
        event.sessions.append(EventSession(starts_at=start, ends_at=end, title=title))
    if event.sessions:
        event.starts_at = min(s.starts_at for s in event.sessions)
        event.ends_at = max(s.ends_at for s in event.sessions)
    for i, q in enumerate(questions):
        event.questions.append(Question(position=i, **q))
    event.tags = tags
    db.session.add(event)
    db.session.flush()
    return event


def _new_frame(f: FrameInput, position: int) -> Frame:
    return Frame(
        position=position, name=f.name, mode=f.mode, capacity=f.capacity, audience=f.audience,
        per_company_limit=f.per_company_limit, lottery=f.lottery, waitlist=f.waitlist,
        price_label=f.price_label, opens_at=f.opens_at, closes_at=f.closes_at, taken=0,
    )  # fmt: skip


def my_registrations(user, now: datetime) -> tuple[list[Registration], list[Registration]]:
    """(upcoming, past) registrations of a person for My Page; cancelled ones only upcoming."""
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
    past = [r for r in reversed(regs) if as_utc(r.event.ends_at) <= now and r.status != "cancelled"]
    return upcoming, past
