"""Week grids of slots and bookings, in local time, for the member and advisor pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from booking.timefmt import local_zone, parse_day, to_local


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    zone = local_zone()
    start = datetime.combine(monday, datetime.min.time(), tzinfo=zone)
    return start, start + timedelta(days=7)


def parse_week(value: str | None, default: date) -> date:
    try:
        return monday_of(parse_day(value)) if value else monday_of(default)
    except ValueError:
        return monday_of(default)


@dataclass
class WeekGrid:
    days: list[date]
    times: list[str]
    cells: dict[tuple[date, str], list]

    def at(self, day: date, clock: str) -> list:
        return self.cells.get((day, clock), [])


def week_grid(monday: date, items, start_of=lambda x: x.start) -> WeekGrid:
    """Rows are the local start times that occur in the week; columns the seven days."""
    days = [monday + timedelta(days=i) for i in range(7)]
    cells: dict[tuple[date, str], list] = {}
    for item in items:
        local = to_local(start_of(item))
        cells.setdefault((local.date(), local.strftime("%H:%M")), []).append(item)
    times = sorted({clock for _, clock in cells})
    # Weekends only when something is on them.
    shown = [d for d in days if d.weekday() < 5 or any(k[0] == d for k in cells)]
    return WeekGrid(shown, times, cells)


def format_calendar_day(day: date, short: bool = False) -> str:
    """`6月2日(火)` for a calendar date (the `|day` filter takes datetimes)."""
    from booking.timefmt import format_day

    return format_day(datetime.combine(day, time(12), tzinfo=local_zone()), short=short)
