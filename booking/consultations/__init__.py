"""Management consultations (経営相談): themes, channels, advisors and bookings."""


def init_app(app) -> None:
    """The member, desk and back-office pages, the `calday` and `local_name` filters and the policy's template global, the
    send-time check of consultation mail."""
    from booking.consultations import (
        advisor_views,
        case_views,
        cases,
        catalogue_views,
        mail_concerns,
        policy,
        routing_views,
    )
    from booking.consultations.catalogue import local_about, local_intake_hint, local_name
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
    # The back office: the catalogue, advisors, an advisor's own profile.
    for blueprint in (catalogue_views.bp, advisor_views.bp, advisor_views.own_bp):
        app.register_blueprint(blueprint)
    # The routing questionnaire before the slot choice; support cases (伴走支援) on the desk.
    app.register_blueprint(routing_views.bp)
    app.register_blueprint(case_views.bp)
    app.add_template_filter(local_name, "local_name")
    app.add_template_filter(local_about, "local_about")
    app.add_template_filter(local_intake_hint, "local_intake_hint")
    app.add_template_filter(format_calendar_day, "calday")
    # What templates may ask of a consultation: `policy`, never a re-derived rule.
    app.add_template_global(policy.join_url, "consultation_join_url")
    # The record's support-case panel asks which case holds a consultation, which it may join.
    app.add_template_global(cases.case_of, "consultation_case")
    app.add_template_global(cases.cases_to_join, "consultation_cases_to_join")
    register_about_check(app, "consultation", consultation_still_holds)
    register_describer(app, "consultation", mail_concerns.describe_consultations)
    register_unit_abouts(app, "consultations", mail_concerns.branch_consultation_abouts)
