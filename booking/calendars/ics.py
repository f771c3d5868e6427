"""CalendarItems → iCalendar text with the `icalendar` library (RFC 5545, RFC 7986).

Nothing here reads the database or the clock: the same items always give the same bytes,
which is what makes feeds byte-identical on refetch (stable ETag) and lets the benchmark
serialise items built in memory.

Folding: icalendar (≥ 6) folds at 75 octets counting UTF-8 bytes and never inside a
character; tests/calendars/test_ics.py holds it to that with Japanese titles.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Timezone, vCalAddress, vText, vUri
from icalendar import Event as VEvent

from booking.calendars.items import CalendarItem
from booking.calendars.options import FeedOptions, Organiser
from booking.calendars.settings import chamber_organiser, invitation_options
from booking.timefmt import as_utc

PRODID = "-//Tsunagu//Tsunagu Calendar//JA"
METHODS = ("PUBLISH", "REQUEST", "CANCEL")


def uid_for(item: CalendarItem, host: str) -> str:
    """`<kind>-<id>@<host>`: stable for the life of the thing, never reused."""
    return f"{item.uid_key}@{host}"


@lru_cache(maxsize=8)
def vtimezone(tzid: str) -> Timezone:
    """The VTIMEZONE of `tzid`, generated from the tz database once per process."""
    return Timezone.from_tzid(tzid, first_date=date(1970, 1, 1), last_date=date(2100, 1, 1))


def _duration_text(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    if seconds % 86400 == 0:
        return f"P{seconds // 86400}D"
    if seconds % 3600 == 0:
        return f"PT{seconds // 3600}H"
    return f"PT{max(seconds // 60, 1)}M"


def _calendar(opts: FeedOptions, method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if opts.name:
        cal.add("name", opts.name)  # RFC 7986
        cal.add("x-wr-calname", opts.name)
    if opts.description:
        cal.add("x-wr-caldesc", opts.description)
    cal.add("x-wr-timezone", opts.tzid)
    if method == "PUBLISH":
        # RFC 7986 and its older Microsoft/Apple spelling: how often clients should refetch.
        cal.add("refresh-interval", opts.refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", _duration_text(opts.refresh))
    cal.add_component(vtimezone(opts.tzid))
    return cal


def _description(item: CalendarItem, opts: FeedOptions) -> str:
    parts = [item.description.strip()] if item.description.strip() else []
    if item.join_url and not item.cancelled:
        parts.append(f"{opts.join_label}: {item.join_url}")
    if item.pass_url and not item.cancelled:
        parts.append(f"{opts.pass_label}: {item.pass_url}")
    if item.url:
        parts.append(f"{opts.page_label}: {item.url}")
    return "\n\n".join(parts)


def vevent(item: CalendarItem, opts: FeedOptions) -> VEvent:
    """One VEVENT. DTSTAMP and LAST-MODIFIED are the row's update time, never 'now'."""
    zone = ZoneInfo(opts.tzid)
    updated = as_utc(item.updated_at).replace(microsecond=0)
    ev = VEvent()
    ev.add("uid", uid_for(item, opts.host))
    ev.add("dtstamp", updated)
    if item.created_at is not None:
        ev.add("created", as_utc(item.created_at).replace(microsecond=0))
    ev.add("last-modified", updated)
    ev.add("sequence", max(int(item.sequence), 0))
    ev.add("dtstart", as_utc(item.starts_at).astimezone(zone).replace(microsecond=0))
    ev.add("dtend", as_utc(item.ends_at).astimezone(zone).replace(microsecond=0))
    label = item.label or (opts.cancelled_label if item.cancelled else "")
    summary = opts.label_format.format(label=label, summary=item.summary) if label else item.summary
    ev.add("summary", summary)
    description = _description(item, opts)
    if description:
        ev.add("description", description)
    if item.location:
        ev.add("location", item.location)
    if item.url:
        ev.add("url", vUri(item.url), parameters={"VALUE": "URI"})
    if item.join_url and not item.cancelled:
        # RFC 7986: clients that know it show a "join" button.
        ev.add(
            "conference",
            vUri(item.join_url),
            parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": opts.join_label},
        )
    if item.categories:
        ev.add("categories", list(item.categories))
    ev.add("status", item.status)
    ev.add("transp", "TRANSPARENT" if item.cancelled else "OPAQUE")
    ev.add("class", opts.classification)
    if opts.alarm_before and item.alarm and not item.cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", vText(summary))
        alarm.add("trigger", -opts.alarm_before)
        ev.add_component(alarm)
    return ev


def build_feed(items: Iterable[CalendarItem], opts: FeedOptions) -> bytes:
    """A `METHOD:PUBLISH` calendar of `items`, in a stable order (start, then UID)."""
    cal = _calendar(opts, "PUBLISH")
    for item in sorted(items, key=lambda i: (as_utc(i.starts_at), i.uid_key)):
        cal.add_component(vevent(item, opts))
    return cal.to_ical()


def invitation(
    item: CalendarItem,
    method: str,
    attendee_email: str | None,
    organiser: Organiser | None = None,
    *,
    attendee_name: str = "",
    opts: FeedOptions | None = None,
) -> str:
    """A mail attachment: `METHOD:REQUEST` (new or changed) or `METHOD:CANCEL`.

    Same UID as the item's feed entry; the caller's item carries the persisted SEQUENCE, which
    its domain raised with the change or cancellation, so mail clients update in place.
    Inside a Flask app, `organiser` and `opts` default to the chamber's settings.
    """
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"method must be REQUEST or CANCEL, not {method!r}")
    if opts is None or organiser is None:
        opts = opts or invitation_options()
        organiser = organiser or chamber_organiser()
    if method == "CANCEL" and not item.cancelled:
        item = _with_status(item, "CANCELLED")
    cal = _calendar(opts, method)
    ev = vevent(item, opts)
    org = vCalAddress(f"mailto:{organiser.email}")
    org.params["CN"] = vText(organiser.name)
    ev.add("organizer", org)
    if attendee_email:
        att = vCalAddress(f"mailto:{attendee_email}")
        if attendee_name:
            att.params["CN"] = vText(attendee_name)
        att.params["ROLE"] = vText("REQ-PARTICIPANT")
        att.params["PARTSTAT"] = vText("ACCEPTED")
        att.params["RSVP"] = vText("FALSE")
        ev.add("attendee", att)
    cal.add_component(ev)
    return cal.to_ical().decode("utf-8")


def _with_status(item: CalendarItem, status: str) -> CalendarItem:
    return replace(item, status=status)


def ics_datetime(value: datetime) -> str:
    """UTC basic format (`20220601T050000Z`), as Google Calendar's template links want it."""
    return as_utc(value).strftime("%Y%m%dT%H%M%SZ")
