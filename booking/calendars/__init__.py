"""Calendars: the one place that turns bookings and events into iCalendar (RFC 5545).

How another domain appears in calendars (see `items.py` for the fields):

- Private feeds (`/calendar/<token>.ics`): at import of your services module call
  `register_private_source(fn)` with `fn(user, now) -> Iterable[CalendarItem]`, the person's
  own bookings (one item per registration, per session of a series, per consultation),
  including those cancelled in the last 30 days (`status="CANCELLED"`; older ones are dropped
  here). Set `join_url` only for what the person is entitled to join.
- Advisor feeds: `register_advisor_source(fn)` with the same signature; `user` is the advisor.
- Mail invitations: `booking.notifications.hooks.register_invitation_builder(kind, fn)` with
  `fn(ref_id, method, recipient=None) -> str | None` that returns
  `booking.calendars.ics.invitation(item, method, attendee_email, organiser=None)`.
- Buttons: `{% from "calendars/_add.html" import add_to_calendar %}` in templates, and
  `booking.calendars.responses.ics_download(items, filename)` for a booking's own download.
"""

from booking.calendars.items import CalendarItem, register_advisor_source, register_private_source

__all__ = ["CalendarItem", "register_advisor_source", "register_private_source"]
