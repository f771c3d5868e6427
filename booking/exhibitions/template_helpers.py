"""What templates outside the exhibitions pages ask of exhibitions (My Page, the staff
dashboard, the event page), and the fair's words and numbers; `init_app` registers them."""

from __future__ import annotations

from datetime import date, datetime, time

from flask_login import current_user

from booking.exhibitions.directory.bookmarks import my_bookmarks
from booking.exhibitions.lookup import exhibition_for_event, exhibitors_of_user
from booking.exhibitions.meetings.forms import mode_labels
from booking.exhibitions.meetings.leads import consents_of_visitor, source_labels
from booking.exhibitions.staff.access import managed_unit_id
from booking.exhibitions.staff.dashboard import exhibitions_overview
from booking.timefmt import format_day, local_zone, now_utc


def fair_day(value: date) -> str:
    """A local date in the house style (`2026年6月2日(火)`)."""
    return format_day(datetime.combine(value, time(12), tzinfo=local_zone()))


def my_meetings_panel() -> dict | None:
    """My Page: the exhibitors the person shares their contact with, or None when none
    (the meetings themselves are in My Page's timeline)."""
    if not current_user.is_authenticated:
        return None
    consents = consents_of_visitor(current_user)
    if not consents:
        return None
    return {"consents": consents}


def my_exhibition_applications():
    """The signed-in person's company's applications, for My Page."""
    return exhibitors_of_user(current_user)


def exhibition_panel():
    """Upcoming exhibitions for the staff dashboard's panel."""
    if not getattr(current_user, "is_staff", False):
        return []
    return exhibitions_overview(now_utc(), managed_unit_id(), upcoming_only=True)


def exhibition_helpers() -> dict:
    """The context processor: callables, so a page that does not use one pays nothing."""
    return {
        "my_meetings_panel": my_meetings_panel,
        "meeting_modes": mode_labels,
        "lead_sources": source_labels,
        "my_exhibition_applications": my_exhibition_applications,
        "exhibition_panel": exhibition_panel,
        "my_exhibitor_bookmarks": lambda: my_bookmarks(current_user),
        "exhibition_for_event": exhibition_for_event,
    }
