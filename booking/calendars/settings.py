"""Calendar settings from the app config, with defaults that need no config.py entry.

- `CALENDAR_ALARM` (bool, default on): a VALARM in private feeds, invitations and downloads.
- `CALENDAR_ALARM_BEFORE` (ISO 8601 duration, default `PT1H`): when it rings.
- `CALENDAR_PRIVATE_REFRESH` (default `PT15M`) / `CALENDAR_PUBLIC_REFRESH` (default `PT1H`):
  REFRESH-INTERVAL / X-PUBLISHED-TTL, and the Cache-Control max-age of each kind of feed.
- `CALENDAR_CANCELLED_DAYS` (default 30): how long a cancelled item stays as CANCELLED.
- `CALENDAR_PAST_DAYS` (default 90): how far back public feeds reach.
Each may also come from the environment variable of the same name.
"""

from __future__ import annotations

import os
from datetime import timedelta
from urllib.parse import urlsplit

import isodate
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from booking.calendars.options import FeedOptions, Organiser, organiser_from

_DEFAULTS = {
    "CALENDAR_ALARM": True,
    "CALENDAR_ALARM_BEFORE": "PT1H",
    "CALENDAR_PRIVATE_REFRESH": "PT15M",
    "CALENDAR_PUBLIC_REFRESH": "PT1H",
    "CALENDAR_CANCELLED_DAYS": 30,
    "CALENDAR_PAST_DAYS": 90,
}


def setting(name: str):
    if name in current_app.config:
        return current_app.config[name]
    raw = os.environ.get(name)
    default = _DEFAULTS[name]
    if raw is None:
        return default
    if isinstance(default, bool):
        from config import env_bool

        return env_bool(name, default)
    if isinstance(default, int):
        return int(raw)
    return raw


def duration(name: str) -> timedelta:
    value = setting(name)
    return value if isinstance(value, timedelta) else isodate.parse_duration(value)


def uid_host() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "tsunagu.local"


def alarm_before() -> timedelta | None:
    return duration("CALENDAR_ALARM_BEFORE") if setting("CALENDAR_ALARM") else None


def chamber_organiser() -> Organiser:
    return organiser_from(current_app.config["ORGANISATION_NAME"], current_app.config["MAIL_FROM"])


def org_name(locale: str) -> str:
    key = "ORGANISATION_NAME_EN" if locale.startswith("en") else "ORGANISATION_NAME"
    return current_app.config[key]


def feed_options(
    *, name: str, locale: str = "ja", private: bool, alarm: bool, description: str = ""
) -> FeedOptions:
    """Options of one calendar, its labels in `locale`."""
    with force_locale(locale):
        labels = {
            "join_label": _("参加URL"),
            "pass_label": _("受付票"),
            "page_label": _("詳細"),
            "cancelled_label": _("キャンセル"),
        }
    return FeedOptions(
        host=uid_host(),
        tzid=current_app.config["TIMEZONE"],
        name=name,
        description=description,
        refresh=duration("CALENDAR_PRIVATE_REFRESH" if private else "CALENDAR_PUBLIC_REFRESH"),
        alarm_before=alarm_before() if alarm else None,
        classification="PRIVATE" if private else "PUBLIC",
        label_format="【{label}】{summary}" if locale.startswith("ja") else "[{label}] {summary}",
        **labels,
    )


def invitation_options(locale: str = "ja") -> FeedOptions:
    return feed_options(name="", locale=locale, private=True, alarm=True)
