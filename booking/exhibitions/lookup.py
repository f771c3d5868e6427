"""Finding exhibitions and exhibitors, and who may act for an exhibitor.

Every page and service gets its rows here, so "another exhibitor's data answers 404" is
decided in one place.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from booking.errors import NotFound
from booking.exhibitions.models import Exhibition, Exhibitor
from booking.exhibitions.policy import acts_for
from booking.extensions import db
from booking.timefmt import local_zone


def get_exhibition(exhibition_id) -> Exhibition:
    exhibition = (
        db.session.get(Exhibition, exhibition_id) if isinstance(exhibition_id, int) else None
    )
    if exhibition is None:
        raise NotFound()
    return exhibition


def exhibition_for_event(event_id: int) -> Exhibition | None:
    return db.session.scalar(select(Exhibition).where(Exhibition.event_id == event_id))


def public_exhibition(exhibition_id) -> Exhibition:
    """An exhibition whose event is published (what visitors and the API may see)."""
    exhibition = get_exhibition(exhibition_id)
    if exhibition.event.status != "published":
        raise NotFound()
    return exhibition


def fair_days(exhibition: Exhibition) -> list[date]:
    """The local days the fair is open: its sessions' days, else start day to end day."""
    zone = local_zone()
    event = exhibition.event
    spans = [(s.starts_at, s.ends_at) for s in event.sessions] or [(event.starts_at, event.ends_at)]
    days: set[date] = set()
    for starts, ends in spans:
        day, last = starts.astimezone(zone).date(), ends.astimezone(zone).date()
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return sorted(days)


def own_exhibitor(exhibitor_id, user, *, accepted: bool = True) -> Exhibitor:
    """The exhibitor `user` acts for; anyone else's answers 404."""
    exhibitor = db.session.get(Exhibitor, exhibitor_id) if isinstance(exhibitor_id, int) else None
    if exhibitor is None or not acts_for(user, exhibitor):
        raise NotFound()
    if accepted and exhibitor.status != "accepted":
        raise NotFound()
    return exhibitor


def exhibitors_of_user(user) -> list[Exhibitor]:
    """Every application of the user's company (newest exhibition first), for My Page."""
    if not getattr(user, "is_authenticated", False) or user.company_id is None:
        return []
    return list(
        db.session.scalars(
            select(Exhibitor)
            .where(Exhibitor.company_id == user.company_id)
            .order_by(Exhibitor.exhibition_id.desc())
        )
    )


def public_exhibitor(exhibition: Exhibition, exhibitor_id) -> Exhibitor:
    """An accepted exhibitor of this exhibition (the directory's entries)."""
    exhibitor = db.session.get(Exhibitor, exhibitor_id) if isinstance(exhibitor_id, int) else None
    if exhibitor is None or exhibitor.exhibition_id != exhibition.id:
        raise NotFound()
    if exhibitor.status != "accepted":
        raise NotFound()
    return exhibitor
