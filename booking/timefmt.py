"""Times: aware UTC in the database, the configured zone (Asia/Tokyo) at the edges."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from flask import current_app, has_app_context
from flask_babel import get_locale

from booking.clock import current_clock


def now_utc() -> datetime:
    """Callable default for columns and the `now` that services receive: the app's clock."""
    return current_clock().now()


def local_zone() -> ZoneInfo:
    name = current_app.config["TIMEZONE"] if has_app_context() else "Asia/Tokyo"
    return ZoneInfo(name)


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
    loc = _locale(locale)
    pat = _PATTERNS.get(loc[:2], _PATTERNS["ja"])
    s = to_local(start)
    text = (
        f"{format_date(s, pat['date'], locale=loc)} {format_datetime(s, pat['time'], locale=loc)}"
    )
    if end is None:
        return text
    e = to_local(end)
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
    loc = _locale(locale)
    pat = _PATTERNS.get(loc[:2], _PATTERNS["ja"])
    local = to_local(value)
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


_DURATION = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$")
_UNITS = {
    "ja": ("%d週間", "%d日", "%d時間", "%d分"),
    "en": (("%d week", "%d weeks"), ("%d day", "%d days"), ("%d hour", "%d hours"),
           ("%d minute", "%d minutes")),
}  # fmt: skip


def offset_words(duration: str | None, locale: str | None = None) -> str:
    """An ISO 8601 offset in words: `P3D` → `3日` / `3 days`, `PT1H30M` → `1時間30分`.

    Anything else is returned as it is.
    """
    match = _DURATION.match((duration or "").strip().upper())
    if match is None or not any(match.groups()):
        return duration or ""
    english = _locale(locale).startswith("en")
    parts = []
    for amount, unit in zip(match.groups(), _UNITS["en" if english else "ja"], strict=True):
        if amount is None or int(amount) == 0:
            continue
        n = int(amount)
        parts.append((unit[0 if n == 1 else 1] if english else unit) % n)
    return (" " if english else "").join(parts) or ("0 minutes" if english else "0分")
