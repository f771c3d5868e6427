"""Tsunagu: the chamber's event and consultation booking system.

`create_app` is the only thing that runs here; it has no side effects beyond building the
app (no migrations, no network, no prompts).
"""

from __future__ import annotations

import logging

from flask import Flask, request
from flask_login import current_user

from booking import clock
from booking.extensions import babel, csrf, db, limiter, login_manager, migrate

ROOT_TEMPLATES = "../templates"


def create_app(config: str | dict | None = None) -> Flask:
    """Build the app. `config` is a name (development/testing/production) or overrides."""
    app = Flask(__name__, template_folder=ROOT_TEMPLATES, instance_relative_config=False)
    configure(app, config)
    clock.init_app(app)
    register_extensions(app)
    register_security(app)
    register_input_checks(app)  # before any route: the domains' init_app add theirs
    register_domains(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_unit_of_work(app)
    if app.config["SCHEDULER_ENABLED"]:
        from booking.scheduler import serving, start_background_scheduler

        if serving():
            start_background_scheduler(app)
    return app


def configure(app: Flask, config: str | dict | None) -> None:
    from config import CONFIGS, ROOT

    overrides = config if isinstance(config, dict) else {}
    name = config if isinstance(config, str) else overrides.pop("ENV_NAME", "development")
    app.config.from_object(CONFIGS[name])
    app.config.update(overrides)
    app.instance_path = str(ROOT / "instance")
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in production (environment variable).")
    if "RATELIMIT_STORAGE_URI" not in overrides and not app.config.get("TESTING"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config.get("REDIS_URL") or "memory://"
    from booking.notifications.reminders import parse_offsets

    parse_offsets(app.config["REMINDER_OFFSETS"])  # fail at start-up, not at the first booking
    logging.getLogger("werkzeug").addFilter(_SecretFilter())


class _SecretFilter(logging.Filter):
    """Mail-link and feed tokens are in URL paths; keep them out of the access log."""

    def filter(self, record: logging.LogRecord) -> bool:
        from booking.logsafe import redact

        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def register_extensions(app: Flask) -> None:
    from pathlib import Path

    import booking.models  # noqa: F401 - registers every table on the metadata
    from booking import ratelimit
    from booking.database import configure_pooler

    configure_pooler(app.config)
    db.init_app(app)
    from booking import replica

    replica.init_app(app)
    migrations = Path(__file__).resolve().parent.parent / "migrations"
    migrate.init_app(app, db, directory=str(migrations), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    babel.init_app(app, locale_selector=select_locale)
    ratelimit.init_app(app)
    limiter.init_app(app)
    with app.app_context():
        from booking.database import (
            check_liveness_on_checkout,
            configure_sqlite,
            describe_columns_lazily,
            is_sqlite,
        )

        if is_sqlite(db.engine):
            configure_sqlite(db.engine)
        describe_columns_lazily(db.engine)
        check_liveness_on_checkout(db.engine)
    from booking.accounts.services import load_user

    login_manager.user_loader(load_user)


def register_security(app: Flask) -> None:
    """Security headers on every answer; no session cookie or `Vary: Cookie` for visitors."""
    from booking import security_headers, session_cookie

    session_cookie.init_app(app)
    security_headers.init_app(app)


def select_locale() -> str:
    """The account's language, else the one chosen on this browser, else Japanese.

    The browser's choice is the `lang` cookie, not the session, so a visitor who switches
    language gets no session (and the public pages stay cacheable).
    """
    from flask import current_app, has_request_context

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and jobs: mails pass their locale explicitly
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get("lang")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def register_domains(app: Flask) -> None:
    """Each domain's blueprints, template helpers and hooks (its `init_app`); fails here, at
    start-up, if a required hook is missing."""
    from booking.wiring import init_domains

    init_domains(app)


def register_input_checks(app: Flask) -> None:
    """Before any route exists: ids bounded in every route, unstorable text refused."""
    from booking import storable

    storable.init_app(app)


def register_blueprints(app: Flask) -> None:
    from booking.accounts.staff_views import bp as staff_accounts_bp
    from booking.accounts.views import bp as accounts_bp
    from booking.api import bp as api_bp
    from booking.main.branches import bp as branches_bp
    from booking.main.views import bp as main_bp
    from booking.mypage.views import bp as mypage_bp
    from booking.staff.views import bp as staff_bp

    # Events, exhibitions, consultations, calendars and the outbox register theirs in their
    # `init_app`.
    for bp in (main_bp, branches_bp, accounts_bp, mypage_bp, staff_bp, api_bp,
               staff_accounts_bp):  # fmt: skip
        app.register_blueprint(bp)


def register_unit_of_work(app: Flask) -> None:
    """Last: every view, whichever blueprint holds it, commits once or rolls back."""
    from booking import unit_of_work

    unit_of_work.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from booking.main.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from booking.main.templating import register

    register(app)


def register_commands(app: Flask) -> None:
    from booking.cli import register

    register(app)
