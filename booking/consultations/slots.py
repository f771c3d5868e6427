"""The free-slot engine: availability minus bookings, for one advisor or any advisor of a theme.

One function, `free_slots`, answers every question the pages, the API and the booking service
ask. It reads everything it needs in a fixed number of queries (advisors with their branches
and channels, weekly intervals, exceptions, consultation days, bookings), whatever the number
of advisors, and then works in memory.

Rules, in local time (Asia/Tokyo):
- the weekly schedule applies on working days; Japanese public holidays (jpholiday) and the
  year-end closure (29 Dec – 3 Jan) close it;
- an `off` exception removes hours (or the whole day); an `extra` exception adds hours, and a
  published consultation day (出張相談会) adds counter hours at its location — both are explicit
  decisions, so they open even on a closed day;
- slots of the theme's length start at the beginning of each interval and follow each other
  with the theme's buffer in between; a slot is free when no active booking of the advisor is
  within the buffer of it;
- a slot must start after `now + minimum notice` and before `now + horizon`;
- an inactive theme has no slots, an inactive channel offers none, and a branch offers only
  what its staff did not withdraw (`offers.BranchGaps.offers`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple

import jpholiday
from sqlalchemy import or_, select, true
from sqlalchemy.orm import selectinload

from booking.consultations.models import (
    Advisor,
    AvailabilityException,
    Channel,
    Consultation,
    ConsultationDay,
    Theme,
    WeeklyAvailability,
    advisor_branches,
    advisor_channels,
    advisor_themes,
    consultation_day_advisors,
)
from booking.consultations.offers import BranchGaps, gaps_for
from booking.extensions import db
from booking.org.models import Unit
from booking.slotgrid import EPOCH, outside, slot_starts, subtract, to_minutes
from booking.timefmt import as_utc, local_zone


class Slot(NamedTuple):
    """A free slot (a plain tuple: sorting and hashing thousands of them stays cheap)."""

    start: datetime
    end: datetime
    advisor_id: int
    channel: str
    branch: str | None
    consultation_day_id: int | None = None


@dataclass(frozen=True)
class _Rule:
    """An open interval rule in local clock time (weekly rule or `extra` exception)."""

    starts: time
    ends: time
    branch_id: int | None
    channel_id: int | None


@lru_cache(maxsize=4096)
def is_closed_day(day: date) -> bool:
    """A public holiday or the year-end closure (29 Dec – 3 Jan)."""
    if (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3):
        return True
    return bool(jpholiday.is_holiday(day))


def booking_window(theme: Theme, now: datetime) -> tuple[datetime, datetime]:
    """The earliest and latest start a member may book for this theme."""
    now = as_utc(now)
    return (
        now + timedelta(hours=theme.min_notice_hours),
        now + timedelta(days=theme.horizon_days),
    )


def free_slots(
    theme: Theme,
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    branch_id: int | None = None,
    channel_slug: str | None = None,
    advisor_id: int | None = None,
    ignore_window: bool = False,
    ignore_bookings: bool = False,
    exclude_consultation_id: int | None = None,
    as_offered: bool = True,
) -> list[Slot]:
    """Free slots of `theme` starting in [start, end), sorted by time then advisor.

    With `advisor_id` only that advisor's; otherwise the union over every active advisor
    covering the theme (filtered by branch and channel when given). `ignore_window` lifts the
    notice and horizon rules (staff); `ignore_bookings` answers "is this inside availability
    at all" (for clear error messages); `exclude_consultation_id` lets a booking being
    rescheduled not block its own neighbourhood. `as_offered=False` ignores what the catalogue
    withdrew (an inactive theme or channel, a branch's withdrawals): the advisor's hours alone.
    """
    if as_offered and not theme.active:
        return []
    start, end = as_utc(start), as_utc(end)
    if not ignore_window:
        earliest, latest = booking_window(theme, now)
        start, end = max(start, earliest), min(end, latest)
    if end <= start:
        return []
    zone = local_zone()
    first_day = start.astimezone(zone).date()
    last_day = end.astimezone(zone).date()
    length = timedelta(minutes=theme.slot_minutes)
    buffer = timedelta(minutes=theme.buffer_minutes)

    ids = list(db.session.scalars(
        select(Advisor.id).where(*_covering(theme, advisor_id, branch_id, channel_slug))
        .order_by(Advisor.id)
    ))  # fmt: skip
    if not ids:
        return []
    homes: dict[int, int] = {}
    branch_slugs: dict[int, str] = {}
    for aid, unit_id, slug in db.session.execute(
        select(advisor_branches.c.advisor_id, Unit.id, Unit.slug)
        .join(Unit, Unit.id == advisor_branches.c.unit_id)
        .where(advisor_branches.c.advisor_id.in_(ids))
        .order_by(Unit.position)
    ):
        homes.setdefault(aid, unit_id)
        branch_slugs[unit_id] = slug
    offered: dict[int, dict[int, str]] = defaultdict(dict)
    for aid, channel_id, slug in db.session.execute(
        select(advisor_channels.c.advisor_id, Channel.id, Channel.slug)
        .join(Channel, Channel.id == advisor_channels.c.channel_id)
        .where(advisor_channels.c.advisor_id.in_(ids))
        .where(Channel.active.is_(True) if as_offered else true())
        .order_by(Channel.position)
    ):
        offered[aid][channel_id] = slug
    gaps = gaps_for(theme.id) if as_offered else BranchGaps()
    weekly: dict[int, list] = defaultdict(list)
    for aid, weekday, starts, ends, b_id, c_id, valid_from, valid_until in db.session.execute(
        select(
            WeeklyAvailability.advisor_id, WeeklyAvailability.weekday, WeeklyAvailability.starts,
            WeeklyAvailability.ends, WeeklyAvailability.branch_id, WeeklyAvailability.channel_id,
            WeeklyAvailability.valid_from, WeeklyAvailability.valid_until,
        ).where(
            WeeklyAvailability.advisor_id.in_(ids),
            or_(WeeklyAvailability.valid_from.is_(None), WeeklyAvailability.valid_from <= last_day),
            or_(WeeklyAvailability.valid_until.is_(None),
                WeeklyAvailability.valid_until >= first_day),
        )
    ):  # fmt: skip
        weekly[aid].append((weekday, valid_from, valid_until, _Rule(starts, ends, b_id, c_id)))
    exceptions: dict[int, list] = defaultdict(list)
    for aid, day, kind, starts, ends, b_id, c_id in db.session.execute(
        select(
            AvailabilityException.advisor_id, AvailabilityException.day,
            AvailabilityException.kind, AvailabilityException.starts, AvailabilityException.ends,
            AvailabilityException.branch_id, AvailabilityException.channel_id,
        ).where(
            AvailabilityException.advisor_id.in_(ids),
            AvailabilityException.day.between(first_day, last_day),
        )
    ):  # fmt: skip
        exceptions[aid].append((day, kind, _Rule(starts, ends, b_id, c_id) if starts else None))
    days_by_advisor: dict[int, list] = defaultdict(list)
    for aid, day_id, day, starts, ends, b_id, b_slug in db.session.execute(
        select(
            consultation_day_advisors.c.advisor_id, ConsultationDay.id, ConsultationDay.day,
            ConsultationDay.starts, ConsultationDay.ends, ConsultationDay.branch_id, Unit.slug,
        )
        .join(ConsultationDay, ConsultationDay.id == consultation_day_advisors.c.day_id)
        .join(Unit, Unit.id == ConsultationDay.branch_id)
        .where(
            consultation_day_advisors.c.advisor_id.in_(ids),
            ConsultationDay.published.is_(True),
            ConsultationDay.day.between(first_day, last_day),
            or_(ConsultationDay.theme_id.is_(None), ConsultationDay.theme_id == theme.id),
        )
    ):  # fmt: skip
        days_by_advisor[aid].append((day, day_id, starts, ends, b_id))
        branch_slugs[b_id] = b_slug
    busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    if not ignore_bookings:
        rows = db.session.execute(
            select(Consultation.advisor_id, Consultation.starts_at, Consultation.ends_at).where(
                Consultation.advisor_id.in_(ids),
                Consultation.status == "booked",
                Consultation.starts_at < end + length + buffer,
                Consultation.ends_at > start - buffer,
                Consultation.id != (exclude_consultation_id or 0),
            )
        )
        for aid, b_start, b_end in rows:
            busy[aid].append((as_utc(b_start) - buffer, as_utc(b_end) + buffer))

    # The hot loop works in whole minutes since the epoch (ints are far cheaper to add,
    # compare, hash and sort than aware datetimes); datetimes are made once per distinct time.
    len_m, buf_m = theme.slot_minutes, theme.buffer_minutes
    start_m, end_m = to_minutes(start), to_minutes(end)
    found: list[tuple] = []
    starts_cache: dict = {}
    clock_cache: dict = {}
    interval_cache: dict = {}
    for aid in ids:
        # Buffered bookings of one advisor never overlap, so sorted by start their ends are
        # sorted too: bisect finds the first that can touch an interval.
        taken = sorted((to_minutes(b0), to_minutes(b1)) for b0, b1 in busy[aid])
        taken_ends = [b1 for _b0, b1 in taken]
        # Advisors often share office hours: compute each distinct schedule once per call.
        key = (tuple(weekly[aid]), tuple(exceptions[aid]), tuple(days_by_advisor[aid]),
               tuple(offered[aid].items()), homes.get(aid))  # fmt: skip
        intervals = interval_cache.get(key)
        if intervals is None:
            intervals = interval_cache[key] = _intervals(
                weekly[aid], exceptions[aid], days_by_advisor[aid], first_day, last_day,
                offered[aid], homes.get(aid), zone, clock_cache,
            )  # fmt: skip
        for lo, hi, chans, unit_id, day_id in intervals:
            if branch_id is not None and unit_id != branch_id:
                continue
            if channel_slug:
                chans = [c for c in chans if c == channel_slug]
            chans = [c for c in chans if gaps.offers(unit_id, c)]
            if not chans:
                continue
            near = []
            for i in range(bisect_right(taken_ends, lo), len(taken)):
                if taken[i][0] >= hi:
                    break
                near.append(taken[i])
            slug = branch_slugs.get(unit_id) or ""
            starts = starts_cache.get((lo, hi))
            if starts is None:
                starts = starts_cache[lo, hi] = slot_starts(lo, hi, len_m, buf_m, start_m, end_m)
            if near:
                starts = outside(starts, near, len_m)
            day_key = day_id or 0
            found.extend([(t, aid, chan, slug, day_key) for t in starts for chan in chans])
    found.sort()
    # Two overlapping rules can offer the same slot twice: keep one.
    ordered = list(dict.fromkeys(found))
    made = {m: EPOCH + timedelta(minutes=m) for m in {x[0] for x in ordered}}
    made.update({m + len_m: EPOCH + timedelta(minutes=m + len_m) for m in list(made)})
    new = tuple.__new__  # Slot(...) without the keyword handling, for thousands of slots
    return [
        new(Slot, (made[t], made[t + len_m], aid, chan, slug or None, day_id or None))
        for t, aid, chan, slug, day_id in ordered
    ]


def _covering(theme: Theme, advisor_id, branch_id, channel_slug) -> list:
    """WHERE conditions for the active advisors covering a theme (at a branch, by a channel)."""
    conds = [
        Advisor.active.is_(True),
        Advisor.id.in_(
            select(advisor_themes.c.advisor_id).where(advisor_themes.c.theme_id == theme.id)
        ),
    ]
    if advisor_id is not None:
        conds.append(Advisor.id == advisor_id)
    if channel_slug:
        conds.append(
            Advisor.id.in_(
                select(advisor_channels.c.advisor_id)
                .join(Channel, Channel.id == advisor_channels.c.channel_id)
                .where(Channel.slug == channel_slug)
            )
        )
    if branch_id is not None:
        # Advisors of that branch, and anyone staffing a consultation day or hours there.
        conds.append(
            or_(
                Advisor.id.in_(
                    select(advisor_branches.c.advisor_id).where(
                        advisor_branches.c.unit_id == branch_id
                    )
                ),
                Advisor.id.in_(
                    select(consultation_day_advisors.c.advisor_id)
                    .join(ConsultationDay)
                    .where(ConsultationDay.branch_id == branch_id)
                ),
                Advisor.id.in_(
                    select(WeeklyAvailability.advisor_id).where(
                        WeeklyAvailability.branch_id == branch_id
                    )
                ),
            )
        )
    return conds


def advisors_covering(
    theme: Theme, advisor_id: int | None, branch_id: int | None, channel_slug: str | None
) -> list[Advisor]:
    """The advisors (as objects, for pages) that `free_slots` would consider."""
    return list(
        db.session.scalars(
            select(Advisor)
            .where(*_covering(theme, advisor_id, branch_id, channel_slug))
            .options(selectinload(Advisor.branches), selectinload(Advisor.channels),
                     selectinload(Advisor.user))
            .order_by(Advisor.id)
        )
    )  # fmt: skip


def _intervals(weekly, exceptions, cdays, first_day, last_day, channels_of, home, zone,
               clock_cache):  # fmt: skip
    """(start, end, channel slugs, branch id, consultation day id) for each open interval,
    times in epoch minutes; `clock_cache` maps (day, local time) to minutes across advisors."""
    offered = list(channels_of.values())
    by_day: dict[date, list] = defaultdict(list)
    for day, kind, rule in exceptions:
        by_day[day].append((kind, rule))
    cdays_by_day: dict[date, list] = defaultdict(list)
    for cday in cdays:
        cdays_by_day[cday[0]].append(cday)
    by_weekday: dict[int, list] = defaultdict(list)
    for weekday, valid_from, valid_until, rule in weekly:
        by_weekday[weekday].append((valid_from, valid_until, rule))

    def at(day: date, clock: time) -> int:
        key = (day, clock)
        value = clock_cache.get(key)
        if value is None:
            value = clock_cache[key] = to_minutes(datetime.combine(day, clock, tzinfo=zone))
        return value

    def chans(channel_id):
        if channel_id is None:
            return offered
        slug = channels_of.get(channel_id)
        return [slug] if slug else []

    out = []
    day = first_day
    while day <= last_day:
        exc_today = by_day.get(day, ())
        whole_day_off = any(kind == "off" and rule is None for kind, rule in exc_today)
        if not whole_day_off:
            offs = [(at(day, r.starts), at(day, r.ends)) for kind, r in exc_today
                    if kind == "off" and r is not None and r.ends is not None]  # fmt: skip
            opened = []
            if not is_closed_day(day):
                for valid_from, valid_until, rule in by_weekday.get(day.weekday(), ()):
                    if (valid_from and day < valid_from) or (valid_until and day > valid_until):
                        continue
                    opened.append(rule)
            opened += [r for kind, r in exc_today
                       if kind == "extra" and r is not None and r.ends is not None]  # fmt: skip
            for rule in opened:
                for lo, hi in subtract(at(day, rule.starts), at(day, rule.ends), offs):
                    out.append((lo, hi, chans(rule.channel_id), rule.branch_id or home, None))
        for _day, day_id, starts, ends, b_id in cdays_by_day.get(day, ()):
            if "branch" in offered or not offered:
                out.append((at(day, starts), at(day, ends), ["branch"], b_id, day_id))
        day += timedelta(days=1)
    return out
