"""What a calendar entry is, independent of the domain it comes from, and who supplies them.

Domains (registrations, consultations, series sessions, business meetings…) turn their rows
into `CalendarItem`s; only `booking.calendars.ics` turns items into iCalendar text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:
    from booking.accounts.models import User

STATUSES = ("CONFIRMED", "TENTATIVE", "CANCELLED")


@dataclass(frozen=True)
class CalendarItem:
    """One VEVENT. Every field is plain data, so items can be built in memory for tests.

    - `kind` + `id` make the UID `<kind>-<id>@<host of BASE_URL>`: pick them so they are
      never reused (e.g. `("registration", 42)`, `("session", "42-3")`, `("consultation", 7)`).
    - `sequence` is the row's persisted counter (+1 on every change of time, place or
      status); `updated_at` its last change: both go out as SEQUENCE / DTSTAMP and
      LAST-MODIFIED, which keeps an unchanged feed byte-identical.
    - `status`: CONFIRMED, TENTATIVE (waitlisted, applied to a lottery) or CANCELLED.
    - `label` is shown before the summary, e.g. "キャンセル待ち" → "【キャンセル待ち】…".
    - `join_url`: only for people entitled to it; never set it in public items.
    - `pass_url`: the person's entry pass (QR), private feeds and invitations only.
    - `alarm`: False for items that should never ring (the feed's setting applies otherwise).
    """

    kind: str
    id: int | str
    summary: str
    starts_at: datetime
    ends_at: datetime
    updated_at: datetime
    sequence: int = 0
    status: str = "CONFIRMED"
    description: str = ""
    location: str = ""
    url: str | None = None
    join_url: str | None = None
    pass_url: str | None = None
    label: str = ""
    categories: tuple[str, ...] = field(default_factory=tuple)
    created_at: datetime | None = None
    alarm: bool = True

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")
        if not self.kind or not str(self.id) or "@" in f"{self.kind}{self.id}":
            raise ValueError("kind and id must be non-empty and free of '@'")

    @property
    def uid_key(self) -> str:
        return f"{self.kind}-{self.id}"

    @property
    def cancelled(self) -> bool:
        return self.status == "CANCELLED"


# fn(user, now) -> the items of that person's feed (their bookings; or, for an advisor
# source, the consultations they give).
ItemSource = Callable[["User", datetime], Iterable[CalendarItem]]

# fn(user, now) -> a small value (e.g. a row of count(*), max(updated_at), sum(sequence) of
# that person's bookings) that changes whenever the source's items would. Optional: when
# every source of a feed has one, a conditional request (304) runs only these, never the
# item sources nor the serialisation.
VersionFn = Callable[["User", datetime], object]

EXTENSION = "booking.calendars.sources"


@dataclass
class CalendarSources:
    """Who supplies the items of feeds, per app (each domain's `init_app` registers)."""

    private: dict[str, ItemSource] = field(default_factory=dict)
    advisor: dict[str, ItemSource] = field(default_factory=dict)
    versions: dict[str, VersionFn] = field(default_factory=dict)


def sources_of(app: Flask | None = None) -> CalendarSources:
    """The feed sources of `app` (default: the current app)."""
    app = app or current_app
    return app.extensions.setdefault(EXTENSION, CalendarSources())


def _name(fn: ItemSource) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def register_private_source(
    app: Flask, fn: ItemSource, name: str | None = None, *, version: VersionFn | None = None
) -> ItemSource:
    """Add `fn` to every person's private feed. Idempotent per name.

    `version(user, now)`, if given, must change whenever `fn(user, now)` would (including
    items crossing the 30-day line of cancellations), so it can stand for `fn` in ETags.
    """
    key = name or _name(fn)
    sources = sources_of(app)
    sources.private[key] = fn
    _set_version(sources, key, version)
    return fn


def register_advisor_source(
    app: Flask, fn: ItemSource, name: str | None = None, *, version: VersionFn | None = None
) -> ItemSource:
    """Add `fn` to every advisor's feed (their consultations). Idempotent per name."""
    key = name or _name(fn)
    sources = sources_of(app)
    sources.advisor[key] = fn
    _set_version(sources, key, version)
    return fn


def _set_version(sources: CalendarSources, key: str, version: VersionFn | None) -> None:
    if version is None:
        sources.versions.pop(key, None)
    else:
        sources.versions[key] = version
