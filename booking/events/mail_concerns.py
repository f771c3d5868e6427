"""How staff's delivery log names registration mail, and which mail is an event's.

Registered in `booking.events.init_app` as notification hooks (`register_describer`,
`register_event_abouts`); read-only.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import String, cast, literal, select
from sqlalchemy.orm import joinedload

from booking.events.models import Registration
from booking.extensions import db
from booking.notifications.hooks import Concern
from booking.org.policy import can_manage


def describe_registrations(ids: list[int]) -> dict[int, Concern]:
    """イベント申込 R-…: the event and the person; a link to the attendee list for its staff."""
    rows = db.session.scalars(
        select(Registration)
        .where(Registration.id.in_(ids))
        .options(joinedload(Registration.event), joinedload(Registration.user))
    )
    concerns = {}
    for reg in rows:
        link = can_manage(current_user, reg.event)
        concerns[reg.id] = Concern(
            label=_("イベント申込 %(number)s", number=reg.reference),
            detail=f"{reg.event.title} · {reg.user.full_name}",
            url=url_for("staff_events.attendee_list", event_id=reg.event_id) if link else None,
        )
    return concerns


def event_message_abouts(event_ids):
    """SELECTs of the `about` values of some events' mail (ids: a list or a selectable of
    ids): the events themselves, their registrations, their attendees."""
    from booking.events.models import Event

    ref = cast(Registration.id, String)
    of_events = Registration.event_id.in_(event_ids)
    return [
        select(literal("event:", String) + cast(Event.id, String)).where(Event.id.in_(event_ids)),
        select(literal("registration:", String) + ref).where(of_events),
        select(literal("attendee:", String) + ref).where(of_events),
    ]


def describe_events(ids: list[int]) -> dict[int, Concern]:
    """Mail about a whole event (its invitation updates): the event and its staff page."""
    from booking.events.models import Event

    return {
        event.id: Concern(
            label=_("イベント"),
            detail=event.title,
            url=url_for("staff_events.manage", event_id=event.id)
            if can_manage(current_user, event)
            else None,
        )
        for event in db.session.scalars(select(Event).where(Event.id.in_(ids)))
    }
