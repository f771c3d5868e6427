"""The free-slot engine: availability minus bookings, for one advisor or any advisor of a theme.

One function, `free_slots`, answers every question the pages, the API and the booking service
ask. It reads everything it needs in a fixed number of queries (advisors with their branches
and channels, weekly intervals, exceptions, consultation days, bookings: `slot_reads`),
whatever the number of advisors, and then works in memory. Each advisor's slots are computed
on their own rows alone, so a worker keeps them per advisor and answers "any advisor" with
their merge (`slot_cache`): a change to one advisor recomputes that advisor only.

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

from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

import jpholiday

from booking.consultations.covering import covering_params, versions_statement
from booking.consultations.models import Theme
from booking.consultations.offers import BranchGaps, gaps_for
from booking.consultations.slot_cache import advisor_slot_cache, gaps_cache, slot_cache
from booking.consultations.slot_reads import read
from booking.extensions import db
from booking.slotgrid import EPOCH, from_minutes, outside, slot_starts, subtract, to_minutes
from booking.timefmt import as_utc, local_zone


class Slot(NamedTuple):
    """A free slot (a plain tuple: sorting and hashing thousands of them stays cheap)."""

    start: datetime
    end: datetime
    advisor_id: int
    channel: str
    branch: str | None
    consultation_day_id: int | None = None


_START = itemgetter(0)  # a slot's start

# Shorter windows are computed directly: a booking checks one start, a whole day costs more.
CACHED_FROM = timedelta(days=1)


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

    # The advisors, with the versions of everything their slots depend on (`slot_versions`).
    _conds, params = covering_params(theme, advisor_id, branch_id, channel_slug)
    statement = versions_statement(
        advisor_id is not None, bool(channel_slug), branch_id is not None
    )
    found = [tuple(row) for row in db.session.connection().execute(statement, params)]
    if not found:
        return []
    ids = [aid for aid, _v, _c in found]
    args = (theme, branch_id, channel_slug, ignore_bookings, exclude_consultation_id,
            as_offered, first_day, last_day)  # fmt: skip
    if end - start < CACHED_FROM:  # a booking's check of one start: not worth an entry
        return _merge(ids, _compute(theme, ids, *args[1:], start, end))
    # Whole local days are computed (and cached) and the window cut out of them: a later
    # `start` only drops slots, never shifts the grid (`slotgrid.slot_starts`).
    key = (theme.id, theme.slot_minutes, theme.buffer_minutes, *args[1:])
    cache = slot_cache()
    entry = cache.get((key, tuple(found)))
    if entry is None:
        entry = _whole_days(key, found, args)
        cache.put((key, tuple(found)), entry)
    # Cut as the computation of the window itself would: from its first whole minute.
    first, stop = (from_minutes(to_minutes(t)) for t in (start, end))
    return entry[bisect_left(entry, first, key=_START) : bisect_left(entry, stop, key=_START)]


def _whole_days(key, found, args) -> list[Slot]:
    """The merged whole days of the advisors `found` (id, version, catalogue version): each
    advisor's from its own entry while its versions are unchanged, the others computed
    together (reading only their rows)."""
    kept = advisor_slot_cache()
    each, missing = {}, []
    for found_one in found:
        entry = kept.get((key, found_one))
        if entry is None:
            missing.append(found_one)
        else:
            each[found_one[0]] = entry
    if missing:
        theme, first_day, last_day = args[0], args[-2], args[-1]
        midnight = time(tzinfo=local_zone())
        computed = _compute(theme, [aid for aid, _v, _c in missing], *args[1:],
                            datetime.combine(first_day, midnight),
                            datetime.combine(last_day + timedelta(days=1), midnight),
                            gaps=_kept_gaps(theme.id, missing[0][2]))  # fmt: skip
        for found_one in missing:
            kept.put((key, found_one), computed[found_one[0]])
        each.update(computed)
    return _merge([aid for aid, _v, _c in found], each)


def _kept_gaps(theme_id: int, catalogue_version: int) -> BranchGaps:
    """The theme's branch withdrawals, kept by the catalogue's version (they are catalogue
    rows: any change to them gives the catalogue a new version)."""
    cache = gaps_cache()
    gaps = cache.get((theme_id, catalogue_version))
    if gaps is None:
        gaps = gaps_for(theme_id)
        cache.put((theme_id, catalogue_version), gaps)
    return gaps


def _merge(ids, each) -> list[Slot]:
    """Every advisor's slots in one list: by time, then advisor id, then each advisor's own
    order (channel, branch, consultation day). Each advisor's list is in time order: joined
    by ascending id, a stable sort by time alone gives that order (one merge of sorted runs)."""
    if len(ids) == 1:
        return each[ids[0]]
    slots: list[Slot] = []
    for aid in sorted(ids):
        slots += each[aid]
    slots.sort(key=_START)
    return slots


def _compute(theme, ids, branch_id, channel_slug, ignore_bookings, exclude_consultation_id,
             as_offered, first_day, last_day, start,
             end, gaps: BranchGaps | None = None) -> dict[int, list[Slot]]:  # fmt: skip
    """For each of `ids`: its free slots starting in [start, end), by time, channel, branch
    and consultation day. An advisor's slots depend on its own rows and the catalogue only,
    never on which other advisors are computed with it. `gaps`: the theme's branch
    withdrawals when the caller has them (else read here)."""
    zone = local_zone()
    length = timedelta(minutes=theme.slot_minutes)
    buffer = timedelta(minutes=theme.buffer_minutes)
    len_m, buf_m = theme.slot_minutes, theme.buffer_minutes
    r = read(
        ids, theme.id, first_day, last_day, active_only=as_offered,
        since=None if ignore_bookings else start - buffer, until=end + length + buffer,
        buffer=buf_m, exclude=exclude_consultation_id,
    )  # fmt: skip
    if not as_offered:
        gaps = BranchGaps()
    elif gaps is None:
        gaps = gaps_for(theme.id)

    # The hot loop works in whole minutes since the epoch (ints are far cheaper to add,
    # compare, hash and sort than aware datetimes); datetimes are made once per distinct time.
    start_m, end_m = to_minutes(start), to_minutes(end)
    of_advisor: dict[int, list[tuple]] = {}
    starts_cache: dict = {}
    clock_cache: dict = {}
    interval_cache: dict = {}
    chans_cache: dict = {}
    for aid in ids:
        found: list[tuple] = []
        # Buffered bookings of one advisor never overlap, so sorted by start their ends are
        # sorted too: bisect finds the first that can touch an interval.
        taken = sorted(r.busy[aid]) if aid in r.busy else []
        taken_ends = [b1 for _b0, b1 in taken]
        # Advisors often share office hours: compute each distinct schedule once per call.
        offered, home = r.offered[aid], r.homes.get(aid)
        weekly, exceptions, cdays = r.weekly[aid], r.exceptions[aid], r.days[aid]
        key = (tuple(weekly), tuple(exceptions), tuple(cdays), tuple(offered.items()), home)
        intervals = interval_cache.get(key)
        if intervals is None:
            intervals = interval_cache[key] = _intervals(
                weekly, exceptions, cdays, first_day, last_day, offered, home, zone, clock_cache,
            )  # fmt: skip
        for lo, hi, chans, unit_id, day_id in intervals:
            if branch_id is not None and unit_id != branch_id:
                continue
            ckey = (chans, unit_id)
            usable = chans_cache.get(ckey)
            if usable is None:  # sorted: the order of the result within one time and advisor
                usable = chans_cache[ckey] = sorted(
                    c for c in chans
                    if (not channel_slug or c == channel_slug) and gaps.offers(unit_id, c)
                )  # fmt: skip
            if not usable:
                continue
            starts = starts_cache.get((lo, hi))
            if starts is None:
                starts = starts_cache[lo, hi] = slot_starts(lo, hi, len_m, buf_m, start_m, end_m)
            if taken:
                first = bisect_right(taken_ends, lo)
                if first < len(taken) and taken[first][0] < hi:
                    starts = outside(starts, taken[first:], len_m)
            slug = r.branch_slugs.get(unit_id) or ""
            day_key = day_id or 0
            if len(usable) == 1:
                [chan] = usable
                found += [(t, chan, slug, day_key) for t in starts]
            else:
                found += [(t, chan, slug, day_key) for t in starts for chan in usable]
        # Intervals come in day order, but rules of one day in any order: sort. Two
        # overlapping rules can offer the same slot twice: keep one.
        found.sort()
        of_advisor[aid] = list(dict.fromkeys(found))
    made = {m: EPOCH + timedelta(minutes=m)
            for m in {x[0] for found in of_advisor.values() for x in found}}  # fmt: skip
    made.update({m + len_m: EPOCH + timedelta(minutes=m + len_m) for m in list(made)})
    new = tuple.__new__  # Slot(...) without the keyword handling, for thousands of slots
    return {
        aid: [new(Slot, (made[t], made[t + len_m], aid, chan, slug or None, day_id or None))
              for t, chan, slug, day_id in found]
        for aid, found in of_advisor.items()
    }  # fmt: skip


def _intervals(weekly, exceptions, cdays, first_day, last_day, channels_of, home, zone,
               clock_cache):  # fmt: skip
    """(start, end, channel slugs, branch id, consultation day id) for each open interval,
    times in epoch minutes; `clock_cache` maps (day, local time) to minutes across advisors."""
    offered = tuple(channels_of.values())
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
        return (slug,) if slug else ()

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
                out.append((at(day, starts), at(day, ends), ("branch",), b_id, day_id))
        day += timedelta(days=1)
    return out
