"""Start-up wiring: every domain registers the hooks others call, and a missing one is fatal."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import booking.events
from booking import create_app
from booking.calendars import consultation_items, registration_items
from booking.calendars.items import sources_of
from booking.consultations.services import consultation_still_holds
from booking.events import notices, policy
from booking.exhibitions.meetings.calendar_items import meeting_items
from booking.extensions import db
from booking.notifications import mailer
from booking.notifications.dispatcher import dispatch_due
from booking.notifications.hooks import MissingHook, hooks_of, still_holds
from booking.notifications.models import OutboxMessage
from booking.notifications.services import plan_message
from booking.timefmt import now_utc
from booking.wiring import (
    ABOUT_CHECKS,
    ADVISOR_SOURCES,
    INVITATION_BUILDERS,
    PRIVATE_SOURCES,
    REMINDER_TARGETS,
    missing_hooks,
)
from tests.conftest import make_app

BOOKING = Path(__file__).resolve().parents[1] / "booking"


def test_a_real_app_has_every_hook_its_domains_must_register(app):
    assert missing_hooks(app) == []
    hooks, sources = hooks_of(app), sources_of(app)
    assert hooks.about_checks["registration"] is notices.registration_still_holds
    assert hooks.about_checks["attendee"] is policy.attendee_still_holds
    assert hooks.about_checks["consultation"] is consultation_still_holds
    assert hooks.reminder_targets["registrations"] is notices.reminder_targets
    assert set(hooks.invitation_builders) >= {"event", "registration", "consultation", "meeting"}
    assert sources.private == {
        "registrations": registration_items.private_items,
        "consultations": consultation_items.member_items,
        "meetings": meeting_items,
    }
    assert sources.advisor == {"consultations": consultation_items.advisor_items}


def test_an_app_whose_domain_registers_nothing_refuses_to_start(database_url, monkeypatch):
    monkeypatch.setattr(booking.events, "init_app", lambda app: None)
    with pytest.raises(RuntimeError) as refused:
        create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    message = str(refused.value)
    assert "send-time check: registration" in message
    assert "send-time check: attendee" in message
    assert "reminder targets: registrations" in message


def test_every_hook_the_domains_register_is_one_the_app_cannot_start_without(app):
    """A kind some domain handles but start-up does not ask for could go missing unnoticed:
    its mail would then fail at send time instead of the app refusing to start."""
    hooks, sources = hooks_of(app), sources_of(app)
    assert set(hooks.about_checks) == set(ABOUT_CHECKS)
    assert set(hooks.invitation_builders) == set(INVITATION_BUILDERS)
    assert set(hooks.reminder_targets) == set(REMINDER_TARGETS)
    assert set(sources.private) == set(PRIVATE_SOURCES)
    assert set(sources.advisor) == set(ADVISOR_SOURCES)


def test_an_app_without_the_invitation_mails_check_refuses_to_start(database_url, monkeypatch):
    import booking.companies

    monkeypatch.setattr(booking.companies, "init_app", lambda app: None)
    with pytest.raises(RuntimeError, match="send-time check: company_invitation"):
        create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url})


def test_hooks_belong_to_the_app_that_registered_them(app, database_url):
    other = make_app(database_url)
    hooks_of(other).about_checks.pop("registration")
    assert "registration" in hooks_of(app).about_checks
    assert missing_hooks(other) == ["send-time check: registration"]


def test_a_message_about_a_kind_nobody_checks_is_never_sent(app):
    with pytest.raises(MissingHook):
        still_holds("nobody:1", None, now_utc())
    plan_message("test:unchecked", "taro@example.jp", "account_reset",
                 {"name": "山田 太郎", "url": "http://x/1", "hours": 2}, about="nobody:1")  # fmt: skip
    db.session.commit()
    assert dispatch_due() == 0
    row = db.session.scalar(db.select(OutboxMessage))
    assert row.status == "failed" and "'nobody'" in row.last_error
    assert mailer.outbox_memory == []


# What only a start-up function may do: register on the app (its filters, globals, context
# processors, request hooks) or in another domain's registry (send-time checks, calendar
# sources, reminder targets).
_APP_WIDE_DECORATORS = {
    "app_template_filter", "app_template_global", "app_template_test", "app_context_processor",
    "before_app_request", "after_app_request", "app_errorhandler",
}  # fmt: skip


def _registers(node) -> bool:
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        # (A blueprint nesting its child blueprints is assembling itself, not wiring an app.)
        wires = name.startswith(("register_", "add_app_template")) and name != "register_blueprint"
        return wires or name in _APP_WIDE_DECORATORS
    return False


def test_no_module_registers_anything_when_imported():
    """Module-level code (and class bodies) never wires: only `init_app` functions do."""
    offenders = []
    for path in sorted(BOOKING.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for statement in tree.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                suspects = list(statement.decorator_list)  # the body runs only when called
            else:
                suspects = [statement]
            for suspect in suspects:
                for node in ast.walk(suspect):
                    if _registers(node) and not isinstance(node, ast.FunctionDef):
                        offenders.append(f"{path.relative_to(BOOKING)}:{node.lineno}")
    assert offenders == []
