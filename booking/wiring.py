"""The domains' start-up wiring, and the hooks an app cannot run without.

Each domain's `init_app(app)` registers what other domains call (send-time checks of mail,
calendar sources and invitation builders, reminder targets). A missing one would not fail at
once: a mail would be sent that should have been dropped, a feed would lack bookings, a
staff-edited reminder would miss the registrations already made. So `create_app` checks
here that every one of them is registered, and refuses to start otherwise.
"""

from __future__ import annotations

from flask import Flask

# Kinds of `about` the product plans mail for: each needs its send-time check.
ABOUT_CHECKS = (
    "user", "event", "registration", "attendee", "consultation", "meeting", "meeting_host",
    "exhibitor", "follow_digest", "company_invitation",
)  # fmt: skip
# Kinds of `about` whose mails carry a calendar invitation.
INVITATION_BUILDERS = ("event", "registration", "consultation", "meeting")
PRIVATE_SOURCES = ("registrations", "consultations", "meetings")
ADVISOR_SOURCES = ("consultations",)
REMINDER_TARGETS = ("registrations",)


def init_domains(app: Flask) -> None:
    """Call every domain's `init_app`, then check that nothing required is missing."""
    from booking import (
        accounts,
        calendars,
        companies,
        consultations,
        events,
        exhibitions,
        follows,
        notifications,
    )

    for domain in (accounts, events, consultations, exhibitions, calendars, notifications,
                   companies, follows):  # fmt: skip
        domain.init_app(app)
    check_hooks(app)


def missing_hooks(app: Flask) -> list[str]:
    """What `app` lacks, as `registry: name` lines (empty when all is wired)."""
    from booking.calendars.items import sources_of
    from booking.notifications.hooks import hooks_of

    hooks, sources = hooks_of(app), sources_of(app)
    wanted = (
        ("send-time check", ABOUT_CHECKS, hooks.about_checks),
        ("invitation builder", INVITATION_BUILDERS, hooks.invitation_builders),
        ("private calendar source", PRIVATE_SOURCES, sources.private),
        ("advisor calendar source", ADVISOR_SOURCES, sources.advisor),
        ("reminder targets", REMINDER_TARGETS, hooks.reminder_targets),
    )
    return [f"{what}: {name}" for what, names, have in wanted for name in names if name not in have]


def check_hooks(app: Flask) -> None:
    """:raises RuntimeError: a required hook is not registered (the app must not start)."""
    missing = missing_hooks(app)
    if missing:
        raise RuntimeError("Hooks not registered at start-up: " + "; ".join(missing))
