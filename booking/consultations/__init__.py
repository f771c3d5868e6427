"""Management consultations (経営相談): themes, channels, advisors and bookings."""


def init_app(app) -> None:
    """The send-time check of consultation mail."""
    from booking.consultations.services import consultation_still_holds
    from booking.notifications.hooks import register_about_check

    register_about_check(app, "consultation", consultation_still_holds)
