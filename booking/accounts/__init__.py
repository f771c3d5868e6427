"""Accounts: member companies, people, roles, sign-in and API tokens."""


def init_app(app) -> None:
    """Account mail (confirmation, password reset) is sent only while the account exists;
    the verified-membership pages (the claim, staff's pending claims)."""
    from booking.accounts import claims
    from booking.accounts.claim_views import bp, staff_bp
    from booking.accounts.services import account_still_holds, unknown_account_hash
    from booking.notifications.hooks import register_about_check

    register_about_check(app, "user", account_still_holds)
    # Made now, not at the first sign-in of an unknown address, which would take twice as long.
    unknown_account_hash(app.config["PASSWORD_HASH_METHOD"])
    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    # My Page offers the claim to those it is for; the staff dashboard counts pending claims.
    app.add_template_global(claims.may_claim, "may_claim_membership")
    app.add_template_global(claims.pending_count, "pending_membership_claims")
