"""Reminder offsets in words: `P1D` before the start → 「1日前」 / "1 day before".

The stored form stays ISO 8601 (`REMINDER_OFFSETS`, `ReminderRule.duration`, dedupe keys);
every page and mail that shows an offset to a person asks `offset_words` / `label_words`.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import get_locale
from flask_babel import gettext as _

from booking.notifications.reminders import parse_duration

DAY, HOUR, MINUTE = timedelta(days=1), timedelta(hours=1), timedelta(minutes=1)

# Staff's usual choices on the reminder form: (anchor, direction, ISO 8601 duration).
PRESETS = (
    ("start", "before", "P1D"),
    ("start", "before", "PT1H"),
    ("start", "before", "P3D"),
    ("end", "after", "P1D"),
    ("end", "after", "PT1H"),
)


def split_amount(value: timedelta) -> tuple[int, str]:
    """The largest whole unit: 2 days → (2, "D"), 90 minutes → (90, "M")."""
    for unit, size in (("D", DAY), ("H", HOUR)):
        if value % size == timedelta(0):
            return value // size, unit
    return value // MINUTE, "M"


def amount_words(value: timedelta) -> str:
    """1日 / 2時間 / 1日2時間 — "1 day" / "2 hours" / "1 day 2 hours"."""
    days, rest = divmod(value, DAY)
    hours, rest = divmod(rest, HOUR)
    minutes = rest // MINUTE
    # One message for "1" and one for the rest: English needs the plural, Japanese none
    # (and the catalogue check reads singular messages only).
    parts = []
    if days:
        parts.append(_("1日") if days == 1 else _("%(num)s日", num=days))
    if hours:
        parts.append(_("1時間") if hours == 1 else _("%(num)s時間", num=hours))
    if minutes or not parts:
        parts.append(_("1分") if minutes == 1 else _("%(num)s分", num=minutes))
    joiner = "" if str(get_locale() or "ja").startswith("ja") else " "
    return joiner.join(parts)


def offset_words(anchor: str, direction: str, duration: str | timedelta) -> str:
    """When a reminder goes out, as staff say it: 1日前, 終了の翌日, 終了の1時間後."""
    try:
        value = duration if isinstance(duration, timedelta) else parse_duration(duration)
    except ValueError:
        return str(duration)  # never stored (the form and the config check it): shown as is
    amount = amount_words(value)
    if direction == "after" and value == DAY:
        return _("終了の翌日") if anchor == "end" else _("開始の翌日")
    if anchor == "end":
        if direction == "after":
            return _("終了の%(amount)s後", amount=amount)
        return _("終了の%(amount)s前", amount=amount)
    if direction == "after":
        return _("開始の%(amount)s後", amount=amount)
    return _("%(amount)s前", amount=amount)


def parse_label(label: str) -> tuple[str, str, str]:
    """A rule's label (`P1D`, `end+P1D`, `start-PT2H`) → (anchor, direction, duration)."""
    for anchor in ("start", "end"):
        for sign, direction in (("+", "after"), ("-", "before")):
            if label.startswith(anchor + sign):
                return anchor, direction, label[len(anchor) + 1 :]
    return "start", "before", label


def label_words(label: str) -> str:
    """A rule's label in words: `P1D` → 1日前, `end+P1D` → 終了の翌日."""
    return offset_words(*parse_label(label or ""))
