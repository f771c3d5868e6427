"""Follows (フォロー): members follow branches, sections and groups, and get a weekly digest
of new events of what they follow; My Page's recommendations live in
booking/events/recommendations.py."""


def init_app(app) -> None:
    """The follow pages, the follow button's template global, the digest's send-time check,
    its weekly job and its command (`flask follows digest`)."""
    from booking.follows import cli, digest, jobs, template_helpers
    from booking.follows.views import bp
    from booking.notifications.hooks import register_about_check
    from booking.scheduler import register_job

    app.register_blueprint(bp)
    app.add_template_global(template_helpers.follow_button_state, "follow_button_state")
    register_about_check(app, digest.TEMPLATE, digest.digest_still_holds)
    # Hourly: the first run of a week (from Monday 08:00) sends it; later runs find it claimed.
    register_job(app, "follow_digest", jobs.digest_job, trigger="interval", hours=1)
    app.cli.add_command(cli.follows_cli)
