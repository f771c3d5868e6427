"""Accounts: member companies, people, roles, sign-in and API tokens."""


def init_app(app) -> None:
    """Account mail (confirmation, password reset) is sent only while the account exists."""
    from booking.accounts.services import account_still_holds
    from booking.notifications.hooks import register_about_check

    register_about_check(app, "user", account_still_holds)
