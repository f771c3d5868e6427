"""Four independent readings of one iCalendar text, reduced to (start, end, summary) in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import ics
import recurring_ical_events
import vobject


def _utc(value) -> datetime:
    return value.astimezone(UTC)


def read_icalendar(text: str) -> list[tuple]:
    cal = icalendar.Calendar.from_ical(text)
    return sorted(
        (_utc(e["DTSTART"].dt), _utc(e["DTEND"].dt), str(e["SUMMARY"])) for e in cal.walk("VEVENT")
    )


def read_vobject(text: str) -> list[tuple]:
    cal = vobject.readOne(text)
    return sorted(
        (_utc(e.dtstart.value), _utc(e.dtend.value), e.summary.value)
        for e in getattr(cal, "vevent_list", [])
    )


def read_ics(text: str) -> list[tuple]:
    cal = ics.Calendar(text)
    return sorted((e.begin.datetime.astimezone(UTC), e.end.datetime.astimezone(UTC), e.name)
                  for e in cal.events)  # fmt: skip


def read_recurring(text: str) -> list[tuple]:
    cal = icalendar.Calendar.from_ical(text)
    found = recurring_ical_events.of(cal).between(datetime(1990, 1, 1), datetime(2100, 1, 1))
    return sorted((_utc(e["DTSTART"].dt), _utc(e["DTEND"].dt), str(e["SUMMARY"])) for e in found)


def read_all(text: str | bytes) -> list[tuple]:
    """What all four parsers agree on; fails the test if any of them disagrees."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    readings = {
        "icalendar": read_icalendar(text),
        "vobject": read_vobject(text),
        "ics": read_ics(text),
        "recurring-ical-events": read_recurring(text),
    }
    first = readings["icalendar"]
    for name, reading in readings.items():
        assert reading == first, f"{name} reads {reading}, icalendar reads {first}"
    return first
