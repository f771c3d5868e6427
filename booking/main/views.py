"""Home page, language switch and the load balancer's health check."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text

from booking.consultations.catalogue import themes
from booking.events.catalogue import upcoming_events
from booking.events.registrations import frame_state
from booking.extensions import csrf, db
from booking.main.forms import safe_next
from booking.org.services import units_of_kind
from booking.timefmt import now_utc

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    now = now_utc()
    events = upcoming_events(current_user, now, limit=8)
    return render_template(
        "main/home.html", events=events, branches=units_of_kind("branch"), themes=themes(),
        now=now, frame_state=frame_state,
    )  # fmt: skip


@bp.get("/privacy")
def privacy():
    """How the chamber handles the personal information people give when they sign up."""
    return render_template("main/privacy.html")


@bp.post("/lang/<code>")
@csrf.exempt
def set_language(code: str):
    """Remember the chosen language on the browser and, when signed in, on the account.

    The switch is on every page; a CSRF token there would give every anonymous visitor a
    session. Anonymous, the switch only sets the `lang` cookie (a forged post could do no
    more than change the language); signed in, it changes the account, so the token is
    checked.
    """
    if current_user.is_authenticated and current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()
    if code not in current_app.config["LANGUAGES"]:
        code = current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated:
        current_user.locale = code
    target = safe_next(request.form.get("next")) or url_for("main.home")
    response = make_response(redirect(target))
    response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # the load balancer only needs to know "not now" (503 rolls back)
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")
