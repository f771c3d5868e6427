"""Randomized: `free_slots` (whole local days, cached per worker, the window cut out per call)
answers exactly what the uncached computation of the window asked answers — for random
schedules, exceptions, consultation days, bookings, windows, "now"s and filters, with writes
(bookings, cancellations, exceptions, weekly hours) between the calls."""

import random
from datetime import date, time, timedelta

import pytest

from booking.consultations.availability import add_exception, add_weekly_interval
from booking.consultations.catalogue import channel_by_slug
from booking.consultations.models import Consultation
from booking.consultations.reporting import create_consultation_day
from booking.consultations.services import Intake, book_consultation, cancel_consultation
from booking.consultations.slots import free_slots
from booking.errors import DomainError
from booking.extensions import db
from booking.org.services import unit_by_key
from tests.consultations.conftest import NOW
from tests.consultations.slot_reference import reference

BRANCHES = ("chiyoda", "minato", "shibuya")
CHANNELS = ("branch", "online", "phone")


def _clock(rng, earliest=8, latest=17) -> time:
    return time(rng.randint(earliest, latest), rng.choice((0, 15, 30, 45)))


def _hours(rng) -> list:
    out = []
    for weekday in range(7):
        for _ in range(rng.choice((0, 1, 1, 2))):
            starts = _clock(rng, 8, 15)
            ends = time(min(20, starts.hour + rng.randint(1, 4)), starts.minute)
            out.append((weekday, starts, ends))
    return out


def _build(rng, make_advisor, theme, staff):
    t = theme(slot_minutes=rng.choice((30, 45, 60, 90)), buffer_minutes=rng.choice((0, 10, 15)),
              min_notice_hours=rng.choice((0, 3, 24)), horizon_days=rng.choice((10, 30)))  # fmt: skip
    advisors = []
    for _ in range(5):
        branches = rng.sample(BRANCHES, rng.randint(1, 2))
        channels = rng.sample(CHANNELS, rng.randint(1, 3))
        advisor = make_advisor(branches=branches, channels=channels, hours=_hours(rng))
        for _ in range(rng.randint(0, 2)):  # hours tied to a channel or another branch
            add_weekly_interval(
                advisor, rng.randint(0, 6), time(18), time(20),
                channel_id=channel_by_slug(rng.choice(channels)).id,
                branch_id=unit_by_key(f"branch:{rng.choice(BRANCHES)}").id,
            )  # fmt: skip
        advisors.append(advisor)
    create_consultation_day(title="出張相談会", day=NOW.date() + timedelta(days=rng.randint(1, 12)),
                            starts=time(13), ends=time(16),
                            branch=unit_by_key(f"branch:{rng.choice(BRANCHES)}"),
                            advisors=rng.sample(advisors, 2))  # fmt: skip
    db.session.commit()
    for _ in range(4):
        _write(rng, t, advisors, staff)
    return t, advisors


def _write(rng, t, advisors, staff):
    """One random change through the product's services, committed."""
    kind = rng.choice(("book", "book", "book", "cancel", "off", "extra"))
    advisor = rng.choice(advisors)
    day = NOW.date() + timedelta(days=rng.randint(0, 14))
    try:
        if kind == "book":
            open_ = free_slots(t, NOW, NOW + timedelta(days=14), NOW, advisor_id=advisor.id,
                               ignore_window=True)  # fmt: skip
            for s in rng.sample(open_, min(6, len(open_))):
                book_consultation(staff, t, s.channel, s.start, NOW, advisor_id=advisor.id,
                                  branch_id=unit_by_key(f"branch:{s.branch}").id if s.branch
                                  else None, intake=Intake(topic="相談"), booked_by=staff)  # fmt: skip
                db.session.commit()
        elif kind == "cancel":
            booked = db.session.query(Consultation).filter_by(status="booked").all()
            if booked:
                cancel_consultation(rng.choice(booked), NOW, staff)
        elif kind == "off":
            whole = rng.random() < 0.4
            starts = None if whole else _clock(rng, 9, 15)
            ends = None if whole else time(starts.hour + 1, starts.minute)
            add_exception(advisor, day, "off", starts, ends, now=NOW - timedelta(days=30))
        else:
            starts = _clock(rng, 6, 20)
            add_exception(advisor, day, "extra", starts, time(starts.hour + 2), now=NOW)
        db.session.commit()
    except DomainError:
        db.session.rollback()


def _shape(rng, advisors):
    """A window (on the quarter hour, or any minute) and filters."""
    minutes = rng.randint(-40, 40 * 24) * 15 if rng.random() < 0.5 else rng.randint(-600, 14400)
    length = rng.choice((timedelta(minutes=rng.randint(1, 120)),
                         timedelta(minutes=rng.randint(1440, 20 * 1440))))  # fmt: skip
    filters = {}
    if rng.random() < 0.4:
        filters["branch_id"] = unit_by_key(f"branch:{rng.choice(BRANCHES)}").id
    if rng.random() < 0.3:
        filters["channel_slug"] = rng.choice(CHANNELS)
    if rng.random() < 0.2:
        filters["advisor_id"] = rng.choice(advisors).id
    for flag in ("ignore_window", "ignore_bookings"):
        if rng.random() < 0.15:
            filters[flag] = True
    if rng.random() < 0.15:
        filters["as_offered"] = False
    return NOW + timedelta(minutes=minutes), length, filters


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_free_slots_equal_the_uncached_computation(seed, make_advisor, theme, make_user):
    rng = random.Random(seed)
    staff = make_user("staff")
    t, advisors = _build(rng, make_advisor, theme, staff)
    # A few shapes of question come back again and again (so entries cached before a write
    # are asked for after it), with "now" moving; others are new.
    shapes = [_shape(rng, advisors) for _ in range(6)]
    checked = 0
    for i in range(60):
        if i % 4 == 3:
            _write(rng, t, advisors, staff)
        seconds = rng.randint(0, 4 * 86400)
        now = NOW + timedelta(seconds=seconds if rng.random() < 0.5 else seconds // 900 * 900)
        start, length, filters = rng.choice(shapes) if rng.random() < 0.7 else _shape(rng, advisors)
        for _twice in range(2):  # the second call is answered from the cache
            got = free_slots(t, start, start + length, now, **filters)
            assert got == reference(t, start, start + length, now, **filters), (i, filters)
        checked += len(got)
    assert checked > 100  # the scenario offers slots at all


def test_a_day_off_after_a_cached_listing_is_seen_on_a_holiday_edge(make_advisor, theme):
    """A closed day (海の日, 20 July) next to open ones, listed from the cache and not."""
    advisor = make_advisor(hours=[(d, time(10), time(12)) for d in range(7)])
    t = theme(horizon_days=90)
    start, end = NOW + timedelta(days=45), NOW + timedelta(days=52)
    first = free_slots(t, start, end, NOW)
    assert first == reference(t, start, end, NOW)
    assert date(2026, 7, 20) not in {s.start.date() for s in first}
    add_exception(advisor, date(2026, 7, 20), "extra", time(14), time(15), now=NOW)
    db.session.commit()
    assert free_slots(t, start, end, NOW) == reference(t, start, end, NOW) != first
