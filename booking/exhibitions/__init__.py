"""Trade fairs (展示会): exhibitors, booths, business meetings, leads and the entrance."""


def init_app(app) -> None:
    """The exhibitions pages, what templates elsewhere ask of them, and the hooks other domains
    call: send-time checks of exhibitor and meeting mail; meetings in feeds and invitations."""
    from booking.calendars.items import register_private_source
    from booking.exhibitions import mail_concerns, policy, template_helpers
    from booking.exhibitions.applications.forms import application_words
    from booking.exhibitions.applications.review import decision_still_holds
    from booking.exhibitions.applications.services import number as application_number
    from booking.exhibitions.applications.views import bp as applications_bp
    from booking.exhibitions.directory import initials, rendered, versions
    from booking.exhibitions.directory.search import zones_of
    from booking.exhibitions.directory.views import bp as directory_bp
    from booking.exhibitions.entrance.views import bp as entrance_bp
    from booking.exhibitions.meetings.calendar_items import meeting_invitation, meeting_items
    from booking.exhibitions.meetings.services import meeting_still_holds
    from booking.exhibitions.meetings.visitor_views import bp as meetings_bp
    from booking.exhibitions.pages.views import bp as pages_bp
    from booking.exhibitions.staff.views import bp as staff_bp
    from booking.notifications.hooks import (
        register_about_check,
        register_describer,
        register_invitation_builder,
    )

    for bp in (directory_bp, pages_bp, applications_bp, staff_bp, meetings_bp, entrance_bp):
        app.register_blueprint(bp)
    versions.init_app(app)  # every change to what a directory shows gives its fair a new version
    app.add_template_filter(template_helpers.fair_day, "fair_day")
    app.add_template_filter(initials.initial, "exhibitor_initial")
    app.add_template_filter(initials.tile, "exhibitor_tile")
    app.add_template_filter(initials.short_name, "exhibitor_short_name")
    app.add_template_global(application_words, "application_words")
    app.add_template_global(application_number, "application_number")
    app.add_template_global(zones_of, "exhibitor_zones")
    app.add_template_global(rendered.rendered_card, "rendered_card")
    app.context_processor(template_helpers.exhibition_helpers)
    # Templates ask the rules, never re-derive them.
    app.add_template_global(policy.may_cancel_meeting, "may_cancel_meeting")
    app.add_template_global(policy.shown_join_url, "meeting_join_url")

    register_about_check(app, "exhibitor", decision_still_holds)
    register_about_check(app, "meeting", meeting_still_holds)
    # The exhibitor's reminders live under their own key (reminder keys are per `about`).
    register_about_check(app, "meeting_host", meeting_still_holds)
    register_private_source(app, meeting_items, "meetings")
    register_invitation_builder(app, "meeting", meeting_invitation)
    # Staff's delivery log names the meeting or application a mail is about.
    register_describer(app, "meeting", mail_concerns.describe_meetings)
    register_describer(app, "meeting_host", mail_concerns.describe_meetings)
    register_describer(app, "exhibitor", mail_concerns.describe_exhibitors)
