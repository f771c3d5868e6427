"""Calendars: the one place that turns bookings and events into iCalendar (RFC 5545).

Modules: `items` (CalendarItem, source registries), `ics` (items → iCalendar text),
`options` (how a calendar is written), `settings` (those options from the config),
`event_items` (Event → CalendarItem), `feed_tokens` (secret feed URLs), `services` (which
items a feed holds, its ETag), `responses` (HTTP: 304, caching), `invitations` (mail
attachments), `page_links` (what templates ask: feed URLs, a Google Calendar link), `views`
(routes).

How another domain appears in calendars:

Registration is explicit, per app, in your domain's `init_app(app)` (create_app calls it and
refuses to start when a required source or builder is missing, see `booking.wiring`):

- Private feeds (`/calendar/<token>.ics`): call
  `register_private_source(app, fn, name, version=v)` with `fn(user, now) -> Iterable[CalendarItem]`,
  the person's own bookings (one item per registration, per session of a series, per
  consultation), including those cancelled in the last 30 days (`status="CANCELLED"`; older
  ones are dropped here). Set `join_url` / `pass_url` only for what the person is entitled
  to. `v(user, now)` (optional) is a cheap value that changes whenever `fn`'s output would,
  so a 304 needs neither the items nor the serialisation.
- Advisor feeds: `register_advisor_source(app, fn, name, version=v)`; `user` is the advisor.
- Mail invitations: `booking.calendars.invitations.register_item_invitations(app, kind, lookup)`
  with `lookup(ref_id) -> Invitee(item, email, name, locale) | None`; then plan mails with
  `about="<kind>:<id>"` and `invite="REQUEST"` or `"CANCEL"`. (Or, lower level,
  `booking.notifications.hooks.register_invitation_builder(app, kind, fn)` with `fn` returning
  `booking.calendars.ics.invitation(item, method, attendee_email, organiser=None)`.)
- Buttons: `{% from "calendars/_add.html" import add_to_calendar %}` in templates, and
  `booking.calendars.responses.ics_download(items, filename)` for a booking's own download.
"""

from booking.calendars.items import CalendarItem, register_advisor_source, register_private_source

__all__ = ["CalendarItem", "register_advisor_source", "register_private_source"]


def init_app(app) -> None:
    """The feed routes, the feed box and calendar link of every page; event, registration
    and consultation entries in private feeds and mail invitations."""
    from booking.calendars import consultation_items, page_links, registration_items
    from booking.calendars.invitations import event_invitation, register_item_invitations
    from booking.calendars.views import bp
    from booking.notifications.hooks import register_invitation_builder

    app.register_blueprint(bp)
    app.context_processor(page_links.feed_box_helpers)
    app.add_template_global(page_links.google_calendar_link)

    register_invitation_builder(app, "event", event_invitation)
    register_private_source(app, registration_items.private_items, "registrations")
    register_item_invitations(app, "registration", registration_items.registration_invitee)
    register_private_source(app, consultation_items.member_items, "consultations")
    register_advisor_source(app, consultation_items.advisor_items, "consultations")
    register_item_invitations(app, "consultation", consultation_items.consultation_invitee)
