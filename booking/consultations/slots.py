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
- a slot must start after `now + minimum notice` and before `now + horizon`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import jpholiday
from sqlalchemy import or_, select
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
from booking.extensions import db
from booking.timefmt import as_utc, local_zone


@dataclass(frozen=True, order=True)
class Slot:
    start: datetime
    end: datetime
    advisor_id: int
    channel: str
    branch: str | None
    consultation_day_id: int | None = None


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
) -> list[Slot]:
    """Free slots of `theme` starting in [start, end), sorted by time then advisor.

    With `advisor_id` only that advisor's; otherwise the union over every active advisor
    covering the theme (filtered by branch and channel when given). `ignore_window` lifts the
    notice and horizon rules (staff); `ignore_bookings` answers "is this inside availability
    at all" (for clear error messages); `exclude_consultation_id` lets a booking being
    rescheduled not block its own neighbourhood.
    """
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

    advisors = advisors_covering(theme, advisor_id, branch_id, channel_slug)
    if not advisors:
        return []
    ids = [a.id for a in advisors]
    weekly = _by_advisor(
        db.session.scalars(
            select(WeeklyAvailability).where(
                WeeklyAvailability.advisor_id.in_(ids),
                or_(
                    WeeklyAvailability.valid_from.is_(None),
                    WeeklyAvailability.valid_from <= last_day,
                ),
                or_(
                    WeeklyAvailability.valid_until.is_(None),
                    WeeklyAvailability.valid_until >= first_day,
                ),
            )
        )
    )
    exceptions = _by_advisor(
        db.session.scalars(
            select(AvailabilityException).where(
                AvailabilityException.advisor_id.in_(ids),
                AvailabilityException.day.between(first_day, last_day),
            )
        )
    )
    day_rows = db.session.execute(
        select(ConsultationDay, consultation_day_advisors.c.advisor_id)
        .join(consultation_day_advisors)
        .where(
            consultation_day_advisors.c.advisor_id.in_(ids),
            ConsultationDay.published.is_(True),
            ConsultationDay.day.between(first_day, last_day),
            or_(ConsultationDay.theme_id.is_(None), ConsultationDay.theme_id == theme.id),
        )
    ).all()
    days_by_advisor: dict[int, list[ConsultationDay]] = defaultdict(list)
    for cday, aid in day_rows:
        days_by_advisor[aid].append(cday)
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
    branch_slugs = {u.id: u.slug for a in advisors for u in a.branches}
    if branch_id is not None and branch_id not in branch_slugs:
        from booking.org.models import Unit

        unit = db.session.get(Unit, branch_id)
        if unit is not None:
            branch_slugs[unit.id] = unit.slug

    found: set[Slot] = set()
    for advisor in advisors:
        offered = [c.slug for c in advisor.channels]
        home = advisor.branches[0].id if advisor.branches else None
        intervals = _intervals(
            advisor,
            weekly[advisor.id],
            exceptions[advisor.id],
            days_by_advisor[advisor.id],
            first_day,
            last_day,
            offered,
            home,
            zone,
        )
        taken = sorted(busy[advisor.id])
        for lo, hi, chan, unit_id, day_id in intervals:
            if channel_slug and chan != channel_slug:
                continue
            if branch_id is not None and unit_id != branch_id:
                continue
            t = lo
            while t + length <= hi:
                s_end = t + length
                if start <= t < end and not any(b0 < s_end and t < b1 for b0, b1 in taken):
                    found.add(Slot(t, s_end, advisor.id, chan, branch_slugs.get(unit_id), day_id))
                t = s_end + buffer
    return sorted(found)


def advisors_covering(
    theme: Theme, advisor_id: int | None, branch_id: int | None, channel_slug: str | None
) -> list[Advisor]:
    query = (
        select(Advisor)
        .join(advisor_themes, advisor_themes.c.advisor_id == Advisor.id)
        .where(advisor_themes.c.theme_id == theme.id, Advisor.active.is_(True))
        .options(selectinload(Advisor.branches), selectinload(Advisor.channels))
        .order_by(Advisor.id)
    )
    if advisor_id is not None:
        query = query.where(Advisor.id == advisor_id)
    if channel_slug:
        query = query.where(
            Advisor.id.in_(
                select(advisor_channels.c.advisor_id)
                .join(Channel, Channel.id == advisor_channels.c.channel_id)
                .where(Channel.slug == channel_slug)
            )
        )
    if branch_id is not None:
        # Advisors of that branch, and anyone staffing a consultation day there.
        query = query.where(
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
    return list(db.session.scalars(query))


def _by_advisor(rows) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row.advisor_id].append(row)
    return grouped


def _intervals(advisor, weekly, exceptions, cdays, first_day, last_day, offered, home, zone):
    """(start, end, channel slug, branch id, consultation day id) in UTC for each open interval."""
    channel_ids = {c.id: c.slug for c in advisor.channels}
    by_day: dict[date, list] = defaultdict(list)
    for exc in exceptions:
        by_day[exc.day].append(exc)
    cdays_by_day: dict[date, list] = defaultdict(list)
    for cday in cdays:
        cdays_by_day[cday.day].append(cday)

    def at(day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)

    def chans(channel_id):
        if channel_id is None:
            return offered
        slug = channel_ids.get(channel_id)
        return [slug] if slug else []

    out = []
    day = first_day
    while day <= last_day:
        exc_today = by_day.get(day, [])
        whole_day_off = any(e.kind == "off" and e.starts is None for e in exc_today)
        offs = [
            (at(day, e.starts), at(day, e.ends))
            for e in exc_today
            if e.kind == "off" and e.starts is not None and e.ends is not None
        ]
        opened = []
        if not whole_day_off and not is_closed_day(day):
            for rule in weekly:
                if rule.weekday != day.weekday():
                    continue
                if (rule.valid_from and day < rule.valid_from) or (
                    rule.valid_until and day > rule.valid_until
                ):
                    continue
                opened.append((at(day, rule.starts), at(day, rule.ends), rule))
        if not whole_day_off:
            for e in exc_today:
                if e.kind == "extra" and e.starts is not None and e.ends is not None:
                    opened.append((at(day, e.starts), at(day, e.ends), e))
        for lo, hi, rule in opened:
            for piece_lo, piece_hi in _subtract(lo, hi, offs):
                for chan in chans(rule.channel_id):
                    out.append((piece_lo, piece_hi, chan, rule.branch_id or home, None))
        for cday in cdays_by_day.get(day, []):
            if "branch" in offered or not offered:
                out.append(
                    (at(day, cday.starts), at(day, cday.ends), "branch", cday.branch_id, cday.id)
                )
        day += timedelta(days=1)
    return out


def _subtract(lo, hi, holes):
    pieces = [(lo, hi)]
    for h_lo, h_hi in holes:
        nxt = []
        for p_lo, p_hi in pieces:
            if h_hi <= p_lo or h_lo >= p_hi:
                nxt.append((p_lo, p_hi))
                continue
            if p_lo < h_lo:
                nxt.append((p_lo, h_lo))
            if h_hi < p_hi:
                nxt.append((h_hi, p_hi))
        pieces = nxt
    return pieces
