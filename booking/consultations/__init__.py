"""Management consultations (経営相談): themes, channels, advisors and bookings."""


def init_app(app) -> None:
    """The member and desk pages, the `calday` filter and the policy's template global, the
    send-time check of consultation mail."""
    from booking.consultations import mail_concerns, policy
    from booking.consultations.desk_views import bp as desk_bp
    from booking.consultations.grid import format_calendar_day
    from booking.consultations.services import consultation_still_holds
    from booking.consultations.views import bp
    from booking.notifications.hooks import (
        register_about_check,
        register_describer,
        register_unit_abouts,
    )

    app.register_blueprint(bp)
    app.register_blueprint(desk_bp)
    app.add_template_filter(format_calendar_day, "calday")
    # What templates may ask of a consultation: `policy`, never a re-derived rule.
    app.add_template_global(policy.join_url, "consultation_join_url")
    register_about_check(app, "consultation", consultation_still_holds)
    register_describer(app, "consultation", mail_concerns.describe_consultations)
    register_unit_abouts(app, "consultations", mail_concerns.branch_consultation_abouts)
