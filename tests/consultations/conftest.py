"""Factories for consultation tests: the catalogue, advisors with weekly hours, bookings."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking.consultations.catalogue import load_catalogue, theme_by_slug
from booking.consultations.models import Advisor, WeeklyAvailability
from booking.consultations.services import Intake, book_consultation
from booking.demo import chamber_data
from booking.extensions import db
from booking.org.services import unit_by_key

TOKYO = ZoneInfo("Asia/Tokyo")


def jst(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TOKYO)


# Monday 1 June 2026, 09:00 in Tokyo: a plain working week (no holidays until 20 July).
NOW = jst(2026, 6, 1, 9)


@pytest.fixture
def catalogue(app):
    load_catalogue(chamber_data())
    db.session.commit()


@pytest.fixture
def theme(catalogue):
    """`theme("management", slot_minutes=30)`: a theme with its rules set for the test."""

    def factory(slug="management", **rules):
        t = theme_by_slug(slug)
        for key, value in rules.items():
            setattr(t, key, value)
        db.session.commit()
        return t

    return factory


@pytest.fixture
def make_advisor(make_user, catalogue):
    """`make_advisor(themes=("management",), channels=..., branches=..., hours=...)`.

    `hours` is a list of (weekday, start, end) local intervals; default Mon–Fri 10–12, 13–17.
    """
    from booking.consultations.catalogue import channel_by_slug

    def factory(
        themes=("management",),
        channels=("branch", "online", "phone"),
        branches=("chiyoda",),
        hours=None,
        **names,
    ):
        user = make_user("advisor", unit_key=f"branch:{branches[0]}", **names)
        advisor = Advisor(user=user, video_url=f"https://meet.example.jp/c/{user.id}")
        advisor.themes = [theme_by_slug(t) for t in themes]
        advisor.channels = [channel_by_slug(c) for c in channels]
        advisor.branches = [unit_by_key(f"branch:{b}") for b in branches]
        db.session.add(advisor)
        db.session.flush()
        if hours is None:
            hours = [(d, time(10), time(12)) for d in range(5)]
            hours += [(d, time(13), time(17)) for d in range(5)]
        for weekday, starts, ends in hours:
            db.session.add(
                WeeklyAvailability(advisor_id=advisor.id, weekday=weekday, starts=starts, ends=ends)
            )
        db.session.commit()
        return advisor

    return factory


@pytest.fixture
def book(catalogue):
    """`book(member, start, advisor=None, theme="management", channel="online", now=NOW)`."""

    def factory(member, start, advisor=None, theme="management", channel="online", now=NOW, **kw):
        kw.setdefault("intake", Intake(topic="資金繰りについて"))
        c = book_consultation(
            member,
            theme_by_slug(theme),
            channel,
            start,
            now,
            advisor_id=advisor.id if advisor else None,
            **kw,
        )
        db.session.commit()
        return c

    return factory


def week_of(start: datetime, days: int = 7):
    return start, start + timedelta(days=days)
