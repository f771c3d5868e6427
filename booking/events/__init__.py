"""Events: seminars, exchange meetings, exhibitions and their participation frames."""


def init_app(app) -> None:
    """The hooks other domains call: send-time checks of registration mail, reminder targets."""
    from booking.events import notices, policy, words
    from booking.notifications.hooks import register_about_check, register_reminder_targets

    register_about_check(app, "event", notices.event_still_holds)
    register_about_check(app, "registration", notices.registration_still_holds)
    register_about_check(app, "attendee", policy.attendee_still_holds)
    # Staff-edited reminder rules of an event reach the registrations it already has.
    register_reminder_targets(app, "registrations", notices.reminder_targets)
    app.add_template_global(words.sessions_note, "sessions_note")
