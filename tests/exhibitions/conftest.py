"""Factories for exhibition tests: a two-day fair with zones, booths and exhibitors.

`make_fair()` builds the visitor event (kind exhibition, one session per day, an in-person
and an online frame), its Exhibition, zones A and B with booths A-01…, B-01…;
`make_exhibitor(fair, status="accepted")` adds a member company with its account user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest

from booking.accounts.models import Company, User
from booking.events.models import Event, EventSession, Frame
from booking.exhibitions.models import Booth, Exhibition, Exhibitor, MeetingHours, Zone
from booking.extensions import db
from booking.org.models import Unit
from booking.org.services import unit_by_key
from booking.timefmt import local_zone, now_utc


@dataclass
class Fair:
    exhibition: Exhibition
    event: Event
    days: list  # local dates

    @property
    def id(self) -> int:
        return self.exhibition.id


@pytest.fixture
def make_fair(app) -> Callable[..., Fair]:
    """`make_fair(days_ahead=14, n_days=2, booths_per_zone=6, exhibitor_limit=None, **rules)`."""

    def factory(days_ahead: int = 14, n_days: int = 2, booths_per_zone: int = 6,
                exhibitor_limit: int | None = None, status: str = "published",
                capacity: int = 10_000, **rules) -> Fair:  # fmt: skip
        zone = local_zone()
        first = (now_utc() + timedelta(days=days_ahead)).astimezone(zone).date()
        days = [first + timedelta(days=i) for i in range(n_days)]
        opens = [datetime.combine(d, time(10, 0), tzinfo=zone) for d in days]
        event = Event(
            title="中小企業マーケットTOKYO", kind="exhibition", format="hybrid",
            unit=unit_by_key("hq"), starts_at=opens[0], ends_at=opens[-1] + timedelta(hours=7),
            status=status, venue_name="東京ビッグサイト 西展示棟", venue_address="東京都江東区有明3-11-1",
        )  # fmt: skip
        for start in opens:
            event.sessions.append(EventSession(starts_at=start, ends_at=start + timedelta(hours=7)))
        event.frames.append(
            Frame(position=0, name="会場来場", mode="in_person", capacity=capacity, taken=0)
        )
        event.frames.append(
            Frame(position=1, name="オンライン来場", mode="online", capacity=capacity, taken=0)
        )
        exhibition = Exhibition(
            event=event, exhibitor_limit=exhibitor_limit, entrances=["東口", "西口"],
            meeting_minutes=rules.pop("meeting_minutes", 30), **rules,
        )  # fmt: skip
        db.session.add(exhibition)
        db.session.flush()
        for zi, (code, name) in enumerate((("A", "食品・飲料"), ("B", "ものづくり・IT"))):
            z = Zone(exhibition_id=exhibition.id, code=code, name=name, position=zi)
            db.session.add(z)
            db.session.flush()
            for i in range(booths_per_zone):
                db.session.add(Booth(
                    exhibition_id=exhibition.id, zone_id=z.id, code=f"{code}-{i + 1:02d}",
                    x=i * 2, y=zi * 3, w=2, h=2,
                ))  # fmt: skip
        db.session.commit()
        return Fair(exhibition, event, days)

    return factory


@pytest.fixture
def make_exhibitor(app, make_user) -> Callable[..., tuple[Exhibitor, User]]:
    """`make_exhibitor(fair, status="accepted", name=None, category="industry",
    participation="both", hours=True)` → (exhibitor, the company's user). With `hours`, the
    exhibitor takes booth meetings 13:00–15:00 on every day of the fair."""
    counter = iter(range(1, 10_000))

    def factory(fair: Fair, status: str = "accepted", name: str | None = None,
                category: str = "industry", participation: str = "both",
                hours: bool = True, **fields) -> tuple[Exhibitor, User]:  # fmt: skip
        n = next(counter)
        company = Company(
            name=name or f"株式会社出展{n}", name_kana=f"シュッテン{n}", member_no=f"77{n:05d}"
        )
        db.session.add(company)
        user = make_user("member", company=company)
        section = db.session.query(Unit).filter_by(kind="section", slug=category).one()
        exhibitor = Exhibitor(
            exhibition_id=fair.id, company_id=company.id, applicant_id=user.id, status=status,
            participation=participation, contact_name=user.full_name, contact_kana=user.full_kana,
            contact_email=user.email, contact_phone="03-0000-0000", products="試作品", **fields,
        )  # fmt: skip
        exhibitor.categories.append(section)
        db.session.add(exhibitor)
        db.session.flush()
        if hours:
            for day in fair.days:
                db.session.add(MeetingHours(
                    exhibitor_id=exhibitor.id, day=day, starts=time(13, 0), ends=time(15, 0),
                    mode="booth",
                ))  # fmt: skip
        db.session.commit()
        return exhibitor, user

    return factory
