"""Reminder offsets (`REMINDER_OFFSETS`, ISO 8601 durations before the start)."""

from __future__ import annotations

from datetime import datetime, timedelta

import isodate
from flask import current_app

from booking.notifications.services import cancel_messages, plan_message
from booking.timefmt import as_utc


def parse_offsets(text: str) -> list[tuple[str, timedelta]]:
    """`P1D,PT1H` → [("P1D", 1 day), ("PT1H", 1 hour)].

    :raises ValueError: a part is not an ISO 8601 duration of days, hours or minutes.
    """
    offsets = []
    for part in (p.strip() for p in (text or "").split(",")):
        if not part:
            continue
        try:
            value = isodate.parse_duration(part)
        except (isodate.ISO8601Error, ValueError) as exc:
            raise ValueError(f"REMINDER_OFFSETS: {part!r} is not an ISO 8601 duration") from exc
        if not isinstance(value, timedelta) or value <= timedelta(0):
            raise ValueError(f"REMINDER_OFFSETS: {part!r} must be a positive duration")
        offsets.append((part, value))
    return offsets


def plan_reminders(
    about: str,
    recipient: str,
    locale: str,
    starts_at: datetime,
    template: str,
    context: dict,
    now: datetime,
    version: int | None = None,
) -> int:
    """Plan one reminder per `REMINDER_OFFSETS` before `starts_at`; returns how many.

    Keys are `reminder:<about>:<offset>`, so calling this again after a change of time
    re-times the same rows. A reminder whose time has already passed is not planned (and
    one planned earlier is cancelled): it is skipped, never fired late.
    """
    planned = 0
    for label, offset in parse_offsets(current_app.config["REMINDER_OFFSETS"]):
        key = f"reminder:{about}:{label}"
        due = as_utc(starts_at) - offset
        if due <= now:
            cancel_messages(key)
            continue
        plan_message(
            key, recipient, template, dict(context, offset=label), locale=locale, due_at=due,
            about=about, about_version=version, transactional=True,
        )  # fmt: skip
        planned += 1
    return planned


def cancel_reminders(about: str) -> int:
    """Cancel every pending reminder of one booking."""
    return cancel_messages(f"reminder:{about}:")
