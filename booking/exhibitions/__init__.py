"""Trade fairs (展示会): exhibitors, booths, business meetings, leads and the entrance."""


def init_app(app) -> None:
    """Send-time checks of exhibitor and meeting mail; meetings in feeds and invitations."""
    from booking.calendars.items import register_private_source
    from booking.exhibitions.meeting_items import meeting_invitation, meeting_items
    from booking.exhibitions.meetings import meeting_still_holds
    from booking.exhibitions.review import decision_still_holds
    from booking.notifications.hooks import register_about_check, register_invitation_builder

    register_about_check(app, "exhibitor", decision_still_holds)
    register_about_check(app, "meeting", meeting_still_holds)
    # The exhibitor's reminders live under their own key (reminder keys are per `about`).
    register_about_check(app, "meeting_host", meeting_still_holds)
    register_private_source(app, meeting_items, "meetings")
    register_invitation_builder(app, "meeting", meeting_invitation)
