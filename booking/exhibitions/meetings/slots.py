"""Free meeting slots (商談枠) of one exhibitor: its meeting hours minus its booked meetings.

The same arithmetic as the consultation slot engine (`booking.slotgrid`), with the exhibitor
as the host: slots of `Exhibition.meeting_minutes` start at the beginning of each published
interval and follow each other with `meeting_buffer_minutes` in between; a slot is free when
no booked meeting of the exhibitor is within the buffer of it; booking closes
`meeting_notice_minutes` before a slot starts.

Three queries whatever the range: the exhibition's rules, the hours, the bookings.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import select

from booking.exhibitions.models import Exhibition, Exhibitor, Meeting, MeetingHours
from booking.extensions import db
from booking.slotgrid import from_minutes, outside, slot_starts, to_minutes
from booking.timefmt import as_utc, local_zone


class MeetingSlot(NamedTuple):
    start: datetime
    end: datetime
    mode: str


def offered_modes(exhibitor: Exhibitor) -> tuple[str, ...]:
    """Booth meetings for exhibitors on site, online ones for those taking part online."""
    modes = []
    if exhibitor.in_person:
        modes.append("booth")
    if exhibitor.online:
        modes.append("online")
    return tuple(modes)


def local_minutes(day: date, clock: time) -> int:
    return to_minutes(datetime.combine(day, clock, tzinfo=local_zone()))


def free_meeting_slots(
    exhibitor: Exhibitor,
    start: datetime,
    end: datetime,
    now: datetime,
    mode: str | None = None,
    *,
    ignore_window: bool = False,
    ignore_bookings: bool = False,
) -> list[MeetingSlot]:
    """Free slots of `exhibitor` starting in [start, end), by time then mode.

    `ignore_window` lifts the notice rule; `ignore_bookings` answers "is this a slot at all"
    (so the booking service can tell "outside the slots" from "just taken").
    """
    length, buffer, notice = db.session.execute(
        select(
            Exhibition.meeting_minutes,
            Exhibition.meeting_buffer_minutes,
            Exhibition.meeting_notice_minutes,
        ).where(Exhibition.id == exhibitor.exhibition_id)
    ).one()
    start, end = as_utc(start), as_utc(end)
    if not ignore_window:
        start = max(start, as_utc(now) + timedelta(minutes=notice))
    if end <= start:
        return []
    zone = local_zone()
    modes = [m for m in offered_modes(exhibitor) if mode is None or m == mode]
    if not modes:
        return []
    hours = db.session.execute(
        select(MeetingHours.day, MeetingHours.starts, MeetingHours.ends, MeetingHours.mode).where(
            MeetingHours.exhibitor_id == exhibitor.id,
            MeetingHours.mode.in_(modes),
            MeetingHours.day.between(
                start.astimezone(zone).date() - timedelta(days=1), end.astimezone(zone).date()
            ),
        )
    ).all()
    busy: list[tuple[int, int]] = []
    if not ignore_bookings:
        pad = timedelta(minutes=buffer)
        busy = sorted(
            (to_minutes(as_utc(b0) - pad), to_minutes(as_utc(b1) + pad))
            for b0, b1 in db.session.execute(
                select(Meeting.starts_at, Meeting.ends_at).where(
                    Meeting.exhibitor_id == exhibitor.id,
                    Meeting.status == "booked",
                    Meeting.starts_at < end + timedelta(minutes=length) + pad,
                    Meeting.ends_at > start - pad,
                )
            )
        )
    start_m, end_m = to_minutes(start), to_minutes(end)
    found: set[tuple[int, str]] = set()
    for day, opens, closes, hours_mode in hours:
        lo, hi = local_minutes(day, opens), local_minutes(day, closes)
        starts = slot_starts(lo, hi, length, buffer, start_m, end_m)
        found.update((t, hours_mode) for t in outside(starts, busy, length))
    return [
        MeetingSlot(from_minutes(t), from_minutes(t + length), m)
        for t, m in sorted(found, key=lambda x: (x[0], modes.index(x[1])))
    ]


def slots_by_day(slots: list[MeetingSlot]) -> dict[date, dict[str, list[MeetingSlot]]]:
    """{local day: {mode: [slots]}} for pages, days in order."""
    zone = local_zone()
    out: dict[date, dict[str, list[MeetingSlot]]] = defaultdict(lambda: defaultdict(list))
    for slot in slots:
        out[slot.start.astimezone(zone).date()][slot.mode].append(slot)
    return {day: dict(modes) for day, modes in sorted(out.items())}
