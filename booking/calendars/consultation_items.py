"""Consultations in calendars: the member's private feed, the advisor's feed, invitations."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from booking.accounts.models import User
from booking.calendars.invitations import Invitee
from booking.calendars.items import CalendarItem
from booking.consultations.catalogue import advisor_for_user
from booking.consultations.feed import consultations_for_feed
from booking.consultations.models import Consultation
from booking.consultations.policy import join_url
from booking.extensions import db


def _place(c: Consultation) -> str:
    if c.consultation_day is not None:
        return " ".join(
            x for x in (c.consultation_day.venue_name, c.consultation_day.venue_address) if x
        )
    if c.channel.slug == "branch" and c.branch is not None:
        return c.branch.name
    return c.channel.name


def consultation_item(c: Consultation, *, for_advisor: bool) -> CalendarItem:
    """One consultation; the advisor sees the company and topic, never the record."""
    if for_advisor:
        company = c.member.company.name if c.member.company else c.member.full_name
        summary = f"{_('経営相談')}: {company}"
        description = f"{c.theme.name}\n{c.topic}".strip()
    else:
        summary = f"{_('経営相談')}: {c.theme.name}"
        description = f"{_('相談員')}: {c.advisor.user.full_name}\n{c.topic}".strip()
    return CalendarItem(
        kind="consultation",
        id=c.id,
        summary=summary,
        starts_at=c.starts_at,
        ends_at=c.ends_at,
        updated_at=c.updated_at,
        created_at=c.created_at,
        sequence=c.sequence,
        status="CANCELLED" if c.status == "cancelled" else "CONFIRMED",
        description=description,
        location=_place(c),
        join_url=join_url(c),
    )


def member_items(user: User, now: datetime):
    return [
        consultation_item(c, for_advisor=False)
        for c in consultations_for_feed(user, now)
        if c.member_id == user.id
    ]


def advisor_items(user: User, now: datetime):
    advisor = advisor_for_user(user)
    if advisor is None:
        return []
    return [
        consultation_item(c, for_advisor=True)
        for c in consultations_for_feed(user, now)
        if c.advisor_id == advisor.id
    ]


def consultation_invitee(consultation_id: int) -> Invitee | None:
    c = db.session.get(Consultation, consultation_id)
    if c is None:
        return None
    return Invitee(
        consultation_item(c, for_advisor=False), c.member.email, c.member.full_name, c.member.locale
    )
