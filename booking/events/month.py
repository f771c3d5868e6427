"""The month calendar of events: weeks of days, each day with the events running on it,
marked as weekend, public holiday (jpholiday) or today; and the same days as an agenda list
for narrow screens."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import jpholiday

from booking.events.models import Event
from booking.timefmt import local_zone, to_local


@dataclass
class Day:
    day: date | None  # None: a cell of the previous or next month
    events: list[Event] = field(default_factory=list)
    weekday: str = ""  # "sun", "sat" or ""
    holiday: str = ""  # the public holiday's (Japanese) name
    today: bool = False
    # Events that started on an earlier day (shown as continuing, not with a start time); a
    # series' later sessions are meetings of their own, shown with their time.
    continued: set[int] = field(default_factory=set)
    # When each event starts that day (a series: that day's session).
    starts: dict[int, datetime] = field(default_factory=dict)

    @property
    def noon(self) -> datetime:
        """The day as a local time, for the date filters (which take datetimes)."""
        return datetime.combine(self.day, time(12), tzinfo=local_zone())


def event_days(event: Event) -> list[date]:
    """The local days an event runs on: each session's day for a series, else every day from
    start to end (an end at midnight does not add the next day)."""
    spans = [(s.starts_at, s.ends_at) for s in event.sessions] if len(event.sessions) > 1 else []
    spans = spans or [(event.starts_at, event.ends_at)]
    days: list[date] = []
    for start, end in spans:
        first, last = to_local(start).date(), to_local(end - timedelta(microseconds=1)).date()
        d = first
        while d <= last and len(days) < 400:
            if d not in days:
                days.append(d)
            d += timedelta(days=1)
    return days


def start_on(event: Event, day: date) -> datetime:
    """When the event starts on `day`: that day's session of a series, else its start."""
    if event.is_series:
        for s in event.sessions:
            if to_local(s.starts_at).date() == day:
                return s.starts_at
    return event.starts_at


class _Days:
    """The events of each local day, and the day each event starts."""

    def __init__(self, events: list[Event], now: datetime):
        self.today = to_local(now).date()
        self.by_day: dict[date, list[Event]] = {}
        self.starts: dict[int, date] = {}
        for event in events:
            days = event_days(event)
            self.starts[event.id] = days[0]
            for d in days:
                self.by_day.setdefault(d, []).append(event)

    def day(self, d: date) -> Day:
        """One day of the calendar: its events, weekend, holiday and today marks."""
        todays = self.by_day.get(d, [])
        return Day(
            d, todays,
            weekday={6: "sun", 5: "sat"}.get(d.weekday(), ""),
            holiday=jpholiday.is_holiday_name(d) or "",
            today=d == self.today,
            continued={e.id for e in todays if self.starts[e.id] < d and not e.is_series},
            starts={e.id: start_on(e, d) for e in todays},
        )  # fmt: skip


def month_weeks(month_start: datetime, events: list[Event], now: datetime) -> list[list[Day]]:
    """Weeks (Sunday first, as Japanese calendars are) of the month's days."""
    days = _Days(events, now)
    cal = calendar.Calendar(firstweekday=calendar.SUNDAY)
    return [
        [days.day(d) if d.month == month_start.month else Day(None) for d in week]
        for week in cal.monthdatescalendar(month_start.year, month_start.month)
    ]


def week_start(value: str, now: datetime) -> date:
    """The Sunday that starts the week holding `value` (YYYY-MM-DD), else this week's."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not 2000 <= day.year <= 2100:  # a typed or far-off date: this week
        day = to_local(now).date()
    return day - timedelta(days=(day.weekday() + 1) % 7)


def week_days(sunday: date, events: list[Event], now: datetime) -> list[Day]:
    """The seven days of the week from `sunday`, each with its events (the week view)."""
    days = _Days(events, now)
    return [days.day(sunday + timedelta(days=i)) for i in range(7)]


def agenda(weeks: list[list[Day]]) -> list[Day]:
    """The days of the month that have events, in order (the phone's list view)."""
    return [d for week in weeks for d in week if d.day and d.events]


def weekday_names(locale: str) -> list[str]:
    """Column heads, Sunday first: 日 月 火 … (ja), Sun Mon Tue … (en)."""
    from babel.dates import get_day_names

    names = get_day_names("abbreviated", locale=locale)
    return [names[6]] + [names[i] for i in range(6)]


def month_title(month_start: datetime, locale: str) -> str:
    """2026年7月 (ja), July 2026 (en)."""
    from babel.dates import format_date

    return format_date(month_start, "y年M月" if locale == "ja" else "MMMM y", locale=locale)
