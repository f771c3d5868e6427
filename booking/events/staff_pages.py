"""What every staff page of an event starts with: the event, if this staff member manages it."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from booking.events.models import Event
from booking.extensions import db
from booking.org.policy import can_manage


def managed_event(event_id: int) -> Event:
    """The event, or 404 when there is none or another unit's staff manage it."""
    event = db.session.get(Event, event_id)
    if event is None or not can_manage(current_user, event):
        abort(404)
    return event
