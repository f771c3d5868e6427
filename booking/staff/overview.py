"""What the staff dashboard shows of events: fill, waitlist, lottery applications and today's
check-ins, for the events this staff member manages — in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from booking.events.models import Event, Registration
from booking.extensions import db
from booking.org.policy import managed_events
from booking.timefmt import as_utc, local_zone, to_local

# Events shown on the dashboard (the events page lists them all).
LIMIT = 30


@dataclass
class EventFill:
    """One event's line on the dashboard."""

    event: Event
    capacity: int = 0
    confirmed: int = 0
    waitlisted: int = 0
    applied: int = 0
    checked_in_today: int = 0
    today: bool = False  # it runs today (local day): the door is open

    @property
    def percent(self) -> int:
        return round(100 * self.confirmed / self.capacity) if self.capacity else 0

    @property
    def lottery(self) -> bool:
        return any(f.lottery for f in self.event.frames)


def local_day(now: datetime) -> tuple[datetime, datetime]:
    """The start and end of today in the chamber's time zone."""
    start = datetime.combine(to_local(now).date(), time(0), tzinfo=local_zone())
    return start, start + timedelta(days=1)


def dashboard_events(user, now: datetime, limit: int = LIMIT) -> list[EventFill]:
    """Events `user` manages that have not ended before today, soonest first, with their
    counts: three queries whatever the number of events."""
    day_start, day_end = local_day(now)
    events = list(
        db.session.scalars(
            managed_events(user)
            .where(Event.ends_at > day_start, Event.status != "cancelled")
            .order_by(Event.starts_at, Event.id)
            .limit(limit)
            .options(selectinload(Event.frames), selectinload(Event.unit))
        )
    )
    lines = {
        e.id: EventFill(
            e,
            capacity=sum(f.capacity for f in e.frames),
            confirmed=sum(f.taken for f in e.frames),  # the seat counter the capacity rule keeps
            today=as_utc(e.starts_at) < day_end and as_utc(e.ends_at) > day_start,
        )
        for e in events
    }
    if not lines:
        return []
    checked_today = case(
        (
            (Registration.checked_in_at >= day_start) & (Registration.checked_in_at < day_end),
            1,
        ),
        else_=0,
    )
    rows = db.session.execute(
        select(Registration.event_id, Registration.status, func.count(), func.sum(checked_today))
        .where(Registration.event_id.in_(list(lines)))
        .group_by(Registration.event_id, Registration.status)
    )
    for event_id, status, n, checked in rows:
        line = lines[event_id]
        if status == "confirmed":
            line.checked_in_today = int(checked or 0)
        elif status == "waitlisted":
            line.waitlisted = n
        elif status == "applied":
            line.applied = n
    return list(lines.values())
