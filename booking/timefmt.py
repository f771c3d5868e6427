"""Times: aware UTC in the database, the configured zone (Asia/Tokyo) at the edges."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from flask import current_app, has_app_context
from flask_babel import get_locale

from booking.clock import current_clock


def now_utc() -> datetime:
    """Callable default for columns and the `now` that services receive: the app's clock."""
    return current_clock().now()


def zone_name() -> str:
    return current_app.config["TIMEZONE"] if has_app_context() else "Asia/Tokyo"


def local_zone() -> ZoneInfo:
    return ZoneInfo(zone_name())


def as_utc(value: datetime) -> datetime:
    """Aware UTC; naive values (SQLite returns them) are taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def to_local(value: datetime) -> datetime:
    return as_utc(value).astimezone(local_zone())


def _locale(locale: str | None) -> str:
    if locale:
        return locale
    try:
        return str(get_locale() or "ja")
    except (RuntimeError, AttributeError):
        return "ja"


_PATTERNS = {
    # 2022年6月1日(水) 14:00
    "ja": {"date": "y年M月d日(E)", "time": "HH:mm", "short": "M月d日(E)"},
    # Wed, 1 June 2022 14:00
    "en": {"date": "EEE, d MMMM y", "time": "HH:mm", "short": "EEE, d MMM"},
}


def format_when(start: datetime, end: datetime | None = None, locale: str | None = None) -> str:
    """`2022年6月1日(水) 14:00〜16:00`; a second date is added when the end is another day."""
    end = as_utc(end) if end is not None else None
    return _when(as_utc(start), end, _locale(locale), zone_name())


# Every mail of one event spells the same few times: remembered by their own values (the
# instants, the locale and the zone), so an entry is never stale.
@lru_cache(maxsize=1024)
def _when(start: datetime, end: datetime | None, loc: str, zone: str) -> str:
    pat = _PATTERNS.get(loc[:2], _PATTERNS["ja"])
    s = start.astimezone(ZoneInfo(zone))
    text = (
        f"{format_date(s, pat['date'], locale=loc)} {format_datetime(s, pat['time'], locale=loc)}"
    )
    if end is None:
        return text
    e = end.astimezone(ZoneInfo(zone))
    sep = "〜" if loc.startswith("ja") else "–"
    end_time = format_datetime(e, pat["time"], locale=loc)
    if e.date() != s.date():
        end_time = f"{format_date(e, pat['date'], locale=loc)} {end_time}"
    return f"{text}{sep}{end_time}"


def format_day(value: datetime, locale: str | None = None, short: bool = False) -> str:
    loc = _locale(locale)
    pat = _PATTERNS.get(loc[:2], _PATTERNS["ja"])
    return format_date(to_local(value), pat["short" if short else "date"], locale=loc)


def format_deadline(value: datetime, locale: str | None = None) -> str:
    """`5月31日(火) 17:00` — the year is implied for deadlines."""
    return _deadline(as_utc(value), _locale(locale), zone_name())


@lru_cache(maxsize=1024)  # as `_when`
def _deadline(value: datetime, loc: str, zone: str) -> str:
    pat = _PATTERNS.get(loc[:2], _PATTERNS["ja"])
    local = value.astimezone(ZoneInfo(zone))
    return f"{format_date(local, pat['short'], locale=loc)} {format_datetime(local, 'HH:mm', locale=loc)}"


# Times people book fall well inside these years. Outside them zones have odd offsets (Tokyo's
# local mean time before 1888 is +09:18:59, which no ISO 8601 offset can spell) and arithmetic
# near year 1 or 9999 overflows.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999


def parse_local(value: str) -> datetime:
    """Parse ISO 8601; a time without an offset is local time (the chamber's zone).

    :raises ValueError: not ISO 8601, or outside the years people book in.
    """
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=local_zone())
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise ValueError(f"{value!r} is outside {EARLIEST_YEAR}–{LATEST_YEAR}")
    return parsed.astimezone(UTC)


def parse_day(value: str) -> date:
    """Parse an ISO 8601 date (2026-12-01). :raises ValueError: not one, or outside the years."""
    day = date.fromisoformat(value)
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise ValueError(f"{value!r} is outside {EARLIEST_YEAR}–{LATEST_YEAR}")
    return day


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in local time with its offset (`2026-06-03T14:00:00+09:00`): the API's times."""
    return to_local(value).isoformat(timespec="seconds") if value else None
