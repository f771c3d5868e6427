"""Event registrations in calendars: the person's private feed and their mail invitations.

A registration of a series appears once per session (UID `session-<registration>-<session>`),
so every date of the course is in the calendar.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.calendars.event_items import EventLabels, event_item
from booking.calendars.invitations import Invitee
from booking.calendars.items import CalendarItem
from booking.events.models import Event, Registration
from booking.events.policy import may_join
from booking.extensions import db

ACTIVE = ("confirmed", "waitlisted", "applied")


def registration_items(reg: Registration, labels: EventLabels | None = None) -> list[CalendarItem]:
    """The calendar entries of one registration; the join URL only if `may_join` says so."""
    event = reg.event
    base = event_item(event, join_url=may_join(reg), kind="registration", labels=labels)
    if reg.status == "cancelled" or event.status == "cancelled":
        status, label = "CANCELLED", base.label or _("キャンセル済み")
    elif reg.status == "confirmed":
        status, label = "CONFIRMED", ""
    else:
        status = "TENTATIVE"
        label = _("キャンセル待ち") if reg.status == "waitlisted" else _("抽選申込中")
    common = {
        "status": status,
        "label": label,
        # Both numbers only grow, so their sum grows with any change of either.
        "sequence": reg.sequence + event.sequence,
        "updated_at": max(reg.updated_at, event.updated_at),
        "created_at": reg.created_at,
    }
    if len(event.sessions) > 1:
        return [
            dataclasses.replace(
                base,
                kind="session",
                id=f"{reg.id}-{s.id}",
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                summary=f"{event.title} {s.title}".strip(),
                **common,
            )
            for s in event.sessions
        ]
    return [dataclasses.replace(base, id=reg.id, **common)]


def private_items(user, now: datetime) -> list[CalendarItem]:
    labels = EventLabels.current()
    regs = db.session.scalars(
        select(Registration)
        .join(Event, Registration.event_id == Event.id)
        .where(Registration.user_id == user.id, Event.ends_at > now - timedelta(days=90))
        .options(
            selectinload(Registration.event).selectinload(Event.sessions),
            selectinload(Registration.event).selectinload(Event.unit),
            selectinload(Registration.frame),
        )
    )
    return [item for reg in regs for item in registration_items(reg, labels)]


def registration_invitee(registration_id: int) -> Invitee | None:
    reg = db.session.get(Registration, registration_id)
    if reg is None:
        return None
    [item, *_rest] = registration_items(reg)
    # One invitation per registration: a series is invited by its first session's entry,
    # its other dates come through the feed.
    item = dataclasses.replace(item, kind="registration", id=reg.id)
    return Invitee(item, reg.user.email, reg.user.full_name, reg.user.locale)
