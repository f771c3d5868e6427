"""What pages ask the calendars domain: the person's feed URLs, a Google Calendar link.

Registered on the app by `booking.calendars.init_app` (a context processor and a template
global), so every page's My Page box and add-to-calendar button can use them.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from flask import current_app
from flask_login import current_user

from booking.calendars import feed_tokens
from booking.calendars.ics import ics_datetime


def calendar_feeds() -> list[dict]:
    """The signed-in person's feeds for My Page (read-only: issuing is a POST)."""
    if not current_user.is_authenticated:
        return []
    feeds = []
    for purpose in feed_tokens.feed_purposes(current_user):
        token = feed_tokens.shown_token(current_user, purpose)
        feeds.append(
            {"purpose": purpose, "links": feed_tokens.feed_links(token) if token else None}
        )
    return feeds


def feed_box_helpers() -> dict:
    """The context processor: `calendar_feeds()` in every template, computed only if called."""
    return {"calendar_feeds": calendar_feeds}


def google_calendar_link(
    title, starts_at: datetime, ends_at: datetime, location: str = "", details: str = ""
) -> str:
    """A Google Calendar "new entry" link, prefilled (for the add-to-calendar macro)."""
    query = {
        "action": "TEMPLATE",
        "text": title,
        "dates": f"{ics_datetime(starts_at)}/{ics_datetime(ends_at)}",
        "ctz": current_app.config["TIMEZONE"],
    }
    if location:
        query["location"] = location
    if details:
        query["details"] = details
    return "https://calendar.google.com/calendar/render?" + urlencode(query)
