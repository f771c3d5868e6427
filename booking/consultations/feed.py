"""What the calendars domain needs from consultations (it builds the iCalendar itself).

Who gets the join URL is `policy.join_url`."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from booking.accounts.models import User
from booking.consultations.catalogue import advisor_for_user
from booking.consultations.models import Consultation
from booking.extensions import db


def consultations_for_feed(user: User, now: datetime, keep_cancelled_days: int = 30):
    """A person's consultations for their private feed: as the member, and as the advisor.

    Active ones from 90 days back on, and cancelled ones changed in the last
    `keep_cancelled_days` (so calendars see STATUS:CANCELLED before the entry goes).
    """
    advisor = advisor_for_user(user)
    whose = Consultation.member_id == user.id
    if advisor is not None:
        whose = whose | (Consultation.advisor_id == advisor.id)
    recent = now - timedelta(days=keep_cancelled_days)
    return list(
        db.session.scalars(
            select(Consultation)
            .where(
                whose,
                Consultation.ends_at > now - timedelta(days=90),
                (Consultation.status == "booked") | (Consultation.updated_at >= recent),
            )
            .order_by(Consultation.starts_at)
        )
    )
