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

How a reminder (any mail) is sent exactly once — the whole answer, in order:

1. One row per mail: ``OutboxMessage.dedupe_key`` is unique. ``services.plan_message`` finds
   the row of its key and re-times it while it is pending (or revives it if cancelled); a
   row already sending, sent or failed is left alone, so re-planning never mails twice.
   Reminder keys are ``reminder:<about>:<label>`` (``reminders.plan_reminders``), so a
   change of time re-times the same rows; one whose time has passed is cancelled, not fired.
2. The row is written in the caller's unit of work (``booking.unit_of_work``): it exists
   if and only if the booking or change it announces was committed.
3. One dispatcher wins it: ``dispatcher.claim_due_messages`` is one conditional UPDATE
   (pending and due, or a lease that expired → sending, with a lease and an owner; on
   PostgreSQL ``FOR UPDATE SKIP LOCKED``), so exactly one claim holds a row at a time.
4. Last checks before sending (``dispatcher._prepare``, at most ``_Sender.AHEAD`` messages
   ahead of the SMTP exchange): ``not_after`` (too late: dropped), ``hooks.still_holds``
   (the booking changed or went away since planning: dropped; a kind with no check fails
   closed), and no send on a lease that may have expired (checked right before each send;
   ``dispatcher._drain`` gives the rest of the batch back).
5. Marked by its owner only: ``dispatcher._finish`` / ``_mine`` update the row only while
   this claim holds the lease, and the previous message's "sent" mark is committed
   (``writes.Writes.wait``, the SMTP connection's ``before_data``: after the next message's
   envelope and data went out, before the final "." that delivers it) before the next
   message can be delivered.
6. The one window left: a dispatcher that dies between the SMTP send and its mark. The
   lease expires, another dispatcher claims the row again (step 3) and sends that one
   message again, with the same ``Message-ID`` (``dispatcher.message_id_for``), which mail
   clients use to fold the copy. So: at most once per key in the product, at least once
   on the wire, a repeat only for the message in hand at a crash.
"""


def init_app(app) -> None:
    """Staff's delivery log and reminder pages."""
    from booking.notifications.offsets import label_words, offset_words
    from booking.notifications.views import bp

    app.register_blueprint(bp)
    # Offsets are shown in words everywhere (1日前, 終了の翌日), never as ISO 8601.
    app.add_template_global(offset_words, "offset_words")
    app.add_template_filter(label_words, "offset_label_words")
