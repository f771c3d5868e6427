"""Meetings (商談) in calendars: private feeds of both sides, and the mails' invitations.

A visitor's feed carries their meetings; the feed of someone acting for an exhibitor carries
that exhibitor's meetings. Both are the same VEVENT (UID `meeting-<id>@…`), seen from each
side. Imported by the calendars blueprint, like the other domains' items.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.accounts.models import User
from booking.calendars import settings
from booking.calendars.ics import invitation
from booking.calendars.items import CalendarItem
from booking.exhibitions.meetings.mails import booth_codes, contact_email, locale_of
from booking.exhibitions.models import Exhibitor, Meeting
from booking.exhibitions.policy import shown_join_url
from booking.extensions import db


def meeting_item(m: Meeting, *, for_exhibitor: bool) -> CalendarItem:
    """One meeting; the exhibitor sees who comes, the visitor whom they meet and where."""
    event = m.exhibition.event
    online = m.mode == "online"
    if for_exhibitor:
        who = m.visitor.company.name if m.visitor.company else m.visitor.full_name
        summary = f"{_('商談')}: {who}"
        description = f"{m.visitor.full_name}（{m.visitor.full_kana}）\n{m.topic}".strip()
    else:
        summary = f"{_('商談')}: {m.exhibitor.name}"
        description = f"{event.title}\n{m.topic}".strip()
    if online:
        location = _("オンライン")
    else:
        booth = booth_codes(m.exhibitor)
        place = " ".join(x for x in (event.venue_name, event.venue_address) if x)
        location = f"{place} {_('ブース')} {booth}".strip() if booth else place
    cancelled = m.status == "cancelled"
    return CalendarItem(
        kind="meeting",
        id=m.id,
        summary=summary,
        starts_at=m.starts_at,
        ends_at=m.ends_at,
        updated_at=m.updated_at,
        created_at=m.created_at,
        sequence=m.sequence,
        status="CANCELLED" if cancelled else "CONFIRMED",
        description=description,
        location=location,
        join_url=shown_join_url(m) or None,
    )


def meetings_for_feed(user: User, now: datetime, keep_cancelled_days: int = 30):
    """(meeting, for_exhibitor) of a person: as visitor, and for the exhibitors they act for.

    Booked ones from 90 days back on, cancelled ones changed in the last
    `keep_cancelled_days` (so calendars see STATUS:CANCELLED before the entry goes).
    """
    whose = Meeting.visitor_id == user.id
    if user.company_id is not None:
        whose = whose | Meeting.exhibitor_id.in_(
            select(Exhibitor.id).where(Exhibitor.company_id == user.company_id)
        )
    rows = db.session.scalars(
        select(Meeting)
        .where(
            whose,
            Meeting.ends_at > now - timedelta(days=90),
            (Meeting.status == "booked")
            | (Meeting.updated_at >= now - timedelta(days=keep_cancelled_days)),
        )
        .options(
            selectinload(Meeting.exhibitor).selectinload(Exhibitor.booths),
            selectinload(Meeting.exhibitor).selectinload(Exhibitor.company),
            selectinload(Meeting.visitor).selectinload(User.company),
            selectinload(Meeting.exhibition),
        )
        .order_by(Meeting.starts_at)
    )
    return [(m, m.visitor_id != user.id) for m in rows]


def meeting_items(user: User, now: datetime) -> list[CalendarItem]:
    return [meeting_item(m, for_exhibitor=side) for m, side in meetings_for_feed(user, now)]


def meeting_invitation(meeting_id: int, method: str, recipient: str | None = None) -> str | None:
    """Invitation builder for `about="meeting:<id>"`: the item as the recipient's side sees
    it (the visitor, or the exhibitor's contact), ATTENDEE being the recipient."""
    m = db.session.get(Meeting, meeting_id)
    if m is None or not recipient:
        return None
    if recipient == m.visitor.email:
        for_exhibitor, name, locale = False, m.visitor.full_name, m.visitor.locale or "ja"
    elif recipient == contact_email(m.exhibitor):
        for_exhibitor, name, locale = True, m.exhibitor.contact_name, locale_of(recipient)
    else:
        return None
    with force_locale(locale):
        item = meeting_item(m, for_exhibitor=for_exhibitor)
    opts = settings.invitation_options(locale)
    return invitation(item, method, recipient, attendee_name=name, opts=opts)
