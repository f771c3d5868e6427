"""Notifications: the outbox every domain writes to, and the dispatcher that sends it.

How another domain uses it (inside its own service, in the caller's transaction):

- One mail: ``services.plan_message(dedupe_key, recipient, template, context, locale=,
  due_at=, about="registration:42", about_version=event.sequence, transactional=True,
  invite="REQUEST"|"CANCEL", not_after=None, reply_to=None)``. Planning the same key again
  re-times a pending row (or revives a cancelled one); a sent one is never sent again.
- Cancel what is still pending: ``services.cancel_messages("reminder:registration:42:")``.
- Reminders of a booking: ``reminders.plan_reminders(about, recipient, locale, starts_at,
  "reminder", context, now, version, ends_at=ends_at, event_id=event.id)`` at booking and
  again on every change of time (same rows, re-timed); ``reminders.cancel_reminders(about)``
  on cancellation. Context for the ``reminder`` template: name, title, when, where, number,
  url (strings, formatted in the recipient's locale).
  A reminder due after the end can be about something else (``about_after=``, e.g. only
  people who came).

Hooks, registered per app in the domain's ``init_app(app)`` (``booking.wiring`` lists the
ones an app cannot start without):

- Staff-edited reminder rules re-plan existing bookings through a provider:
  ``hooks.register_reminder_targets(app, "registrations", fn)`` with
  ``fn(event_id) -> Iterable[reminders.ReminderTarget]``.
- Drop stale mail at send time: ``hooks.register_about_check(app, "registration", check)``
  with ``check(ref_id, planned_version, now) -> bool``. A message about a kind with no
  check is never sent (it fails, visibly). Calendar attachments:
  ``hooks.register_invitation_builder(app, "registration", build)``.
"""
