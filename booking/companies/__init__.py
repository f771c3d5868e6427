"""Companies: administrators (会社の担当者) who look after their colleagues' bookings —
proxy registration, handing a seat to a colleague, inviting colleagues to join."""


def init_app(app) -> None:
    """The company pages on My Page, the invitation link, the staff's appointment buttons, and
    the send-time check of invitation mail."""
    from booking.companies import admins, invitations, policy
    from booking.companies.staff_views import bp as staff_bp
    from booking.companies.views import bp
    from booking.notifications.hooks import register_about_check

    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    # The event page and My Page offer the company's pages to its administrators only.
    app.add_template_global(policy.is_company_admin, "is_company_admin")
    # The company page offers a seat's hand-over only while the hand-over would be taken.
    app.add_template_global(policy.seat_refusal, "seat_refusal")
    # The staff company page marks administrators and offers to appoint or remove them.
    app.add_template_global(admins.admin_ids, "company_admin_ids")
    register_about_check(app, "company_invitation", invitations.invitation_still_holds)
