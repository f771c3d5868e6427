"""What other domains tell the dispatcher, registered per app by each domain's `init_app`.

- An *about check* says whether what a message is about still holds when it is due
  (the booking is still active, the event not cancelled, its version unchanged). A message
  whose check fails is dropped as `cancelled` instead of being sent.
- An *invitation builder* turns the thing a message is about into iCalendar text
  (`METHOD:REQUEST` or `METHOD:CANCEL`) at send time, so the attachment is never stale.
- A *reminder target provider* lists an event's bookings, so that staff-edited reminder
  rules re-plan the bookings that already exist (see `reminders.replan_event_reminders`).
- A *booking describer* names, for staff's delivery log, the bookings some messages are
  about, with a link to the page where staff see them (`describe_abouts`); *event* and
  *unit messages* providers say which `about` values belong to events or to a unit (the
  log's event filter, and what branch staff see of it).

Keys are the part of `about` before the colon: `registration:42` → `registration`.

The registries live on the app (`app.extensions`), not in module globals: an app whose
domains did not register a hook does not have it, whatever another app in the same process
registered, so `booking.wiring` can refuse to start an app that misses one. A message about
a kind nobody registered a check for is never sent (fail closed).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:
    from booking.notifications.reminders import ReminderTarget

# (ref_id, planned_version, now) -> still holds?
AboutCheck = Callable[[int, int | None, datetime], bool]
# (ref_id, method) -> iCalendar text, or None when there is nothing to attach. A builder
# that also takes a `recipient` keyword is given the message's recipient (the ATTENDEE).
InvitationBuilder = Callable[..., str | None]
# event id → the active bookings of that event, as ReminderTargets
TargetProvider = Callable[[int], Iterable["ReminderTarget"]]


@dataclass(frozen=True)
class Concern:
    """What a message is about, as staff read it: 申込 R-123 (山田 太郎) and where to see it."""

    label: str
    detail: str = ""
    url: str | None = None


# ref ids of one kind → {ref id: Concern}; one query (or a few) whatever the number of ids.
Describer = Callable[[list[int]], dict[int, Concern]]
# event ids (a list or a SQL selectable of ids) → SELECTs of one column each: the `about`
# values of those events' messages (the log unites them)
EventAbouts = Callable[[object], list]
# unit id → SELECTs of the `about` values of the unit's other bookings (a branch's
# consultations), which its staff see in the delivery log
UnitAbouts = Callable[[int], list]

EXTENSION = "booking.notifications.hooks"


class MissingHook(LookupError):
    """A message is about a kind no domain registered a check for: it must not go out."""


@dataclass
class NotificationHooks:
    about_checks: dict[str, AboutCheck] = field(default_factory=dict)
    invitation_builders: dict[str, InvitationBuilder] = field(default_factory=dict)
    reminder_targets: dict[str, TargetProvider] = field(default_factory=dict)
    describers: dict[str, Describer] = field(default_factory=dict)
    event_abouts: dict[str, EventAbouts] = field(default_factory=dict)
    unit_abouts: dict[str, UnitAbouts] = field(default_factory=dict)


def hooks_of(app: Flask | None = None) -> NotificationHooks:
    """The registries of `app` (default: the current app)."""
    app = app or current_app
    return app.extensions.setdefault(EXTENSION, NotificationHooks())


def register_about_check(app: Flask, kind: str, check: AboutCheck) -> None:
    hooks_of(app).about_checks[kind] = check


def register_invitation_builder(app: Flask, kind: str, builder: InvitationBuilder) -> None:
    hooks_of(app).invitation_builders[kind] = builder


def register_reminder_targets(app: Flask, name: str, provider: TargetProvider) -> None:
    """How to list an event's bookings of one kind (`name`) for re-planning their reminders."""
    hooks_of(app).reminder_targets[name] = provider


def register_describer(app: Flask, kind: str, describer: Describer) -> None:
    """How staff's delivery log names the bookings of one kind of `about`."""
    hooks_of(app).describers[kind] = describer


def register_event_abouts(app: Flask, name: str, provider: EventAbouts) -> None:
    """Which `about` values (SELECTs) are messages about some events' bookings."""
    hooks_of(app).event_abouts[name] = provider


def register_unit_abouts(app: Flask, name: str, provider: UnitAbouts) -> None:
    """Which `about` values (SELECTs) are a unit's bookings other than events'."""
    hooks_of(app).unit_abouts[name] = provider


def describe_abouts(abouts: Iterable[str]) -> dict[str, Concern]:
    """{about: Concern} for the abouts some domain can describe (one call per kind)."""
    by_kind: dict[str, set[int]] = {}
    for about in abouts:
        kind, ref = split_about(about)
        if ref is not None:
            by_kind.setdefault(kind, set()).add(ref)
    described: dict[str, Concern] = {}
    for kind, refs in by_kind.items():
        describer = hooks_of().describers.get(kind)
        if describer is None:
            continue
        for ref, concern in describer(sorted(refs)).items():
            described[f"{kind}:{ref}"] = concern
    return described


def split_about(about: str) -> tuple[str, int | None]:
    kind, _, ref = (about or "").partition(":")
    return kind, int(ref) if ref.isdigit() else None


def still_holds(about: str, version: int | None, now: datetime) -> bool:
    """Whether the thing a message is about still holds; a message about nothing always does.

    :raises MissingHook: no check is registered for the kind of `about`.
    """
    if not about:
        return True
    kind, ref = split_about(about)
    check = hooks_of().about_checks.get(kind)
    if check is None:
        raise MissingHook(f"no send-time check is registered for {kind!r} messages")
    return False if ref is None else check(ref, version, now)


def build_invitation(about: str, method: str, recipient: str | None = None) -> str | None:
    kind, ref = split_about(about)
    builder = hooks_of().invitation_builders.get(kind)
    if builder is None or ref is None:
        return None
    if recipient is not None and "recipient" in inspect.signature(builder).parameters:
        return builder(ref, method, recipient=recipient)
    return builder(ref, method)
