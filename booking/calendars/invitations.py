"""Invitation builders: what the dispatcher attaches to mails with `invite` set.

Registered by `booking.calendars.init_app` (and by each booking domain for its own kind).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from booking.accounts.models import User
from booking.calendars import settings
from booking.calendars.event_items import event_item
from booking.calendars.ics import invitation
from booking.calendars.items import CalendarItem
from booking.events.models import Event
from booking.extensions import db
from booking.notifications.hooks import register_invitation_builder


def event_invitation(event_id: int, method: str, recipient: str | None = None) -> str | None:
    """Invitation builder for messages `about="event:<id>"`, ATTENDEE being the recipient.

    No join URL: a mail about the event as a whole may reach people not entitled to it;
    registrations attach their own item (with the join URL) under their own kind.
    """
    event = db.session.get(Event, event_id)
    if event is None or event.status == "draft":
        return None
    user = db.session.scalar(select(User).where(User.email == recipient)) if recipient else None
    locale = (user.locale if user else None) or "ja"
    with force_locale(locale):
        item = event_item(event)
        opts = settings.invitation_options(locale)
    name = user.full_name if user else ""
    return invitation(item, method, recipient, attendee_name=name, opts=opts)


@dataclass(frozen=True)
class Invitee:
    """What an invitation needs from a booking: its item and the person it is for."""

    item: CalendarItem
    email: str
    name: str = ""
    locale: str = "ja"


def register_item_invitations(
    app: Flask, kind: str, lookup: Callable[[int], Invitee | None]
) -> None:
    """Attach invitations to messages `about="<kind>:<id>"` from `lookup(id)`.

    The one call a booking domain makes, in its `init_app(app)`:
    `register_item_invitations(app, "registration", registration_invitee)`, where
    `registration_invitee(42)` returns `Invitee(item, user.email, user.full_name, user.locale)`
    or None (nothing to attach). The item carries the join URL if the person is entitled.
    `lookup` runs under the app's default locale; build labels with `force_locale` if needed.
    """

    def builder(ref_id: int, method: str) -> str | None:
        found = lookup(ref_id)
        if found is None:
            return None
        opts = settings.invitation_options(found.locale or "ja")
        return invitation(found.item, method, found.email, attendee_name=found.name, opts=opts)

    register_invitation_builder(app, kind, builder)
