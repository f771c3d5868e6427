"""Visitors of a test fair: registrations in its in-person or online frame, and scan times."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from booking.events.models import Registration
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import local_zone, now_utc


def register(fair, user, online: bool = False) -> Registration:
    """A confirmed registration of `user` (in person unless `online`)."""
    frame = fair.event.frames[1 if online else 0]
    reg = register_for_frame(user, fair.event.id, frame.id, {}, now_utc())
    db.session.commit()
    return reg


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A local time on `day`, as the aware UTC `now` services take."""
    return datetime.combine(day, time(hour, minute), tzinfo=local_zone()).astimezone(UTC)
