"""Reminder offsets (`REMINDER_OFFSETS`, ISO 8601 durations before the start)."""

from __future__ import annotations

from datetime import timedelta

import isodate


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
