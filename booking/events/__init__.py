"""Events: seminars, exchange meetings, exhibitions and their participation frames."""


def init_app(app) -> None:
    """The event pages (public and staff), what templates ask of events, and the hooks other
    domains call: send-time checks of registration mail, reminder targets, what a mail is
    about in the delivery log."""
    from booking.events import (
        audit,
        cache_version,  # noqa: F401 - its triggers come with `create_all`
        certificates,
        mail_concerns,
        member_frames,
        month,
        notices,
        payment,
        policy,
        template_helpers,
        words,
    )
    from booking.events.staff_audit_views import bp as staff_audit_bp
    from booking.events.staff_door_views import bp as staff_door_bp
    from booking.events.staff_frame_views import bp as staff_frames_bp
    from booking.events.staff_lottery_views import bp as staff_lottery_bp
    from booking.events.staff_series_views import bp as staff_series_bp
    from booking.events.staff_survey_views import bp as staff_survey_bp
    from booking.events.staff_views import bp as staff_bp
    from booking.events.staff_waitlist_views import bp as staff_waitlist_bp
    from booking.events.survey_views import bp as survey_bp
    from booking.events.views import bp as public_bp
    from booking.events.words import event_words
    from booking.notifications.hooks import (
        register_about_check,
        register_describer,
        register_event_abouts,
        register_reminder_targets,
    )

    app.register_blueprint(public_bp)
    # Post-event surveys: the attendee's page and the staff's questions and results.
    app.register_blueprint(survey_bp)
    app.register_blueprint(staff_survey_bp)
    app.register_blueprint(staff_bp)
    # The back office of an event: frames, series sessions, waitlist, lottery, door, audit log.
    for blueprint in (staff_frames_bp, staff_series_bp, staff_waitlist_bp, staff_lottery_bp,
                      staff_door_bp, staff_audit_bp):  # fmt: skip
        app.register_blueprint(blueprint)
    app.add_template_filter(template_helpers.markdown_filter, "markdown")
    app.add_template_filter(template_helpers.qr_svg, "qr_svg")
    app.add_template_filter(template_helpers.qr_png, "qr_png")
    app.add_template_filter(template_helpers.hhmm, "hhmm")
    app.add_template_filter(template_helpers.map_url, "map_url")
    app.add_template_filter(template_helpers.fill_pct, "fill_pct")
    app.add_template_global(event_words, "event_words")
    for name in ("action_word", "apply_word", "price_text", "status_text"):
        app.add_template_global(getattr(words, name), name)
    app.add_template_global(payment.payment_note, "payment_note")
    app.add_template_global(month.weekday_names, "weekday_names")
    app.add_template_global(month.month_title, "month_title")
    # The audit list partial (templates/staff/events/_audit_list.html) reads entries with these.
    app.add_template_global(audit.action_label, "audit_action")
    app.add_template_global(audit.changes, "audit_changes")
    # My Page and the pass ask the one policy whether a registration may still be cancelled.
    app.add_template_global(policy.can_cancel, "can_cancel")
    # Guests see member frames and prices, with the way to verify membership.
    app.add_template_global(member_frames.locked_member_frames, "locked_member_frames")

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
    app.add_template_global(words.sessions_note, "sessions_note")
    # Certificates of attendance and materials: their own pages, My Page's panel.
    certificates.init_app(app)
