"""Events: seminars, exchange meetings, exhibitions and their participation frames."""


def init_app(app) -> None:
    """The event pages (public and staff), what templates ask of events, and the hooks other
    domains call: send-time checks of registration mail, reminder targets."""
    from booking.events import notices, policy, template_helpers
    from booking.events.staff_frame_views import bp as staff_frames_bp
    from booking.events.staff_series_views import bp as staff_series_bp
    from booking.events.staff_views import bp as staff_bp
    from booking.events.views import bp as public_bp
    from booking.events.words import event_words
    from booking.notifications.hooks import register_about_check, register_reminder_targets

    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(staff_frames_bp)
    app.register_blueprint(staff_series_bp)
    app.add_template_filter(template_helpers.markdown_filter, "markdown")
    app.add_template_filter(template_helpers.qr_svg, "qr_svg")
    app.add_template_filter(template_helpers.qr_png, "qr_png")
    app.add_template_filter(template_helpers.hhmm, "hhmm")
    app.add_template_global(event_words, "event_words")
    # My Page and the pass ask the one policy whether a registration may still be cancelled.
    app.add_template_global(policy.can_cancel, "can_cancel")

    register_about_check(app, "event", notices.event_still_holds)
    register_about_check(app, "registration", notices.registration_still_holds)
    register_about_check(app, "attendee", policy.attendee_still_holds)
    # Staff-edited reminder rules of an event reach the registrations it already has.
    register_reminder_targets(app, "registrations", notices.reminder_targets)
