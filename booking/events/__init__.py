"""Events: seminars, exchange meetings, exhibitions and their participation frames."""


def init_app(app) -> None:
    """The hooks other domains call: send-time checks of registration mail, reminder targets."""
    from booking.events import mail_concerns, notices, policy
    from booking.notifications.hooks import (
        register_about_check,
        register_describer,
        register_event_abouts,
        register_reminder_targets,
    )

    register_about_check(app, "event", notices.event_still_holds)
    register_about_check(app, "registration", notices.registration_still_holds)
    register_about_check(app, "attendee", policy.attendee_still_holds)
    # Staff-edited reminder rules of an event reach the registrations it already has.
    register_reminder_targets(app, "registrations", notices.reminder_targets)
    # Staff's delivery log: which registration a mail is about, and an event's mail.
    register_describer(app, "registration", mail_concerns.describe_registrations)
    register_describer(app, "attendee", mail_concerns.describe_registrations)
    register_describer(app, "event", mail_concerns.describe_events)
    register_event_abouts(app, "registrations", mail_concerns.event_message_abouts)
