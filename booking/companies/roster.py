"""What a company administrator sees of their company: its people, every colleague's event
registrations, when a colleague has a consultation, and the no-show record.

A colleague's consultation reaches the page only as `ConsultationTime` (who, when, booked or
cancelled): its theme, topic, intake answers and record are never read here, so no template
can show them (they stay with the colleague and the advisors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.accounts.models import Company, User
from booking.accounts.search import people_of
from booking.companies.admins import admin_ids
from booking.consultations.models import Consultation
from booking.events.models import Event, Registration
from booking.events.passes import company_no_shows, is_no_show
from booking.extensions import db
from booking.timefmt import as_utc

MAX_ROWS = 200


@dataclass(frozen=True)
class ConsultationTime:
    """That a colleague has a consultation, and when: nothing more."""

    person: User
    starts_at: datetime
    ends_at: datetime
    status: str


@dataclass
class Colleague:
    person: User
    is_admin: bool
    upcoming: list[Registration] = field(default_factory=list)
    past: list[Registration] = field(default_factory=list)
    consultations: list[ConsultationTime] = field(default_factory=list)
    no_shows: int = 0


@dataclass
class CompanyView:
    company: Company
    colleagues: list[Colleague]
    no_shows: int

    def colleague(self, user_id: int) -> Colleague | None:
        return next((c for c in self.colleagues if c.person.id == user_id), None)


def _registrations(user_ids: list[int]) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration).join(Event, Event.id == Registration.event_id)
            .where(Registration.user_id.in_(user_ids))
            .options(selectinload(Registration.event), selectinload(Registration.frame),
                     selectinload(Registration.registered_by))
            .order_by(Event.starts_at.desc(), Registration.id.desc()).limit(MAX_ROWS)
        )
    )  # fmt: skip


def _consultation_times(user_ids: list[int], now: datetime) -> list[ConsultationTime]:
    """Upcoming consultations of these people: only who and when are selected."""
    rows = db.session.execute(
        select(Consultation.member_id, Consultation.starts_at, Consultation.ends_at,
               Consultation.status)
        .where(Consultation.member_id.in_(user_ids), Consultation.ends_at > now)
        .order_by(Consultation.starts_at).limit(MAX_ROWS)
    )  # fmt: skip
    people = {p.id: p for p in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
    return [ConsultationTime(people[m], s, e, st) for m, s, e, st in rows]


def company_view(company: Company, now: datetime) -> CompanyView:
    """The company's people (furigana order, administrators marked) with their bookings."""
    people = [p for p in people_of(company) if p.active]
    admins = admin_ids(company.id)
    colleagues = {p.id: Colleague(p, p.id in admins) for p in people}
    ids = list(colleagues)
    if ids:
        for reg in _registrations(ids):
            c = colleagues[reg.user_id]
            if as_utc(reg.event.ends_at) > now and reg.is_active:
                c.upcoming.append(reg)
            elif as_utc(reg.event.ends_at) <= now:
                c.past.append(reg)
                c.no_shows += is_no_show(reg, now)
        for row in _consultation_times(ids, now):
            colleagues[row.person.id].consultations.append(row)
    for c in colleagues.values():
        c.upcoming.reverse()  # soonest first
    return CompanyView(company, list(colleagues.values()),
                       company_no_shows([company.id], now).get(company.id, 0))  # fmt: skip
