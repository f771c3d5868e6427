"""Feeds (`/calendar/<token>.ics`, `/calendar/public.ics`), `/events/<id>.ics`, the feed pages."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from booking.calendars import feed_tokens, services
from booking.calendars.event_items import kind_label
from booking.calendars.responses import calendar_response
from booking.errors import NotFound
from booking.events.models import KINDS
from booking.extensions import db, login_manager
from booking.localnames import localized
from booking.org.models import Unit
from booking.timefmt import now_utc

bp = Blueprint("calendars", __name__)


@bp.get("/calendar/public.ics")
def public_feed():
    try:
        flt = services.public_filter(
            branches=request.args.getlist("branch"),
            kinds=request.args.getlist("kind"),
            sections=request.args.getlist("section"),
        )
    except services.BadFilter as exc:  # calendar clients and people both read plain text
        return Response(exc.message + "\n", status=400, content_type="text/plain; charset=utf-8")
    return calendar_response(services.public_feed(flt, now_utc()))


@bp.get("/calendar/<token>.ics")
def person_feed(token: str):
    owner = feed_tokens.token_owner(token)
    if owner is None:
        abort(404)
    return calendar_response(services.person_feed(owner, now_utc()))


@bp.get("/events/<int:event_id>.ics")
def event_ics(event_id: int):
    try:
        event = services.downloadable_event(event_id, current_user)
    except services.SignInNeeded:
        return login_manager.unauthorized()
    except NotFound:
        abort(404)
    feed = services.single_event_feed(event, str(get_locale() or "ja"))
    return calendar_response(feed, download_name=f"event-{event.id}.ics")


@bp.get("/calendar/")
def public_feeds_page():
    """Every public feed worth subscribing to: all events, per kind, per branch, per section."""
    base = current_app.config["BASE_URL"] + url_for("calendars.public_feed")

    def entry(label: str, **params) -> dict:
        query = urlencode(params)
        url = base + (f"?{query}" if query else "")
        return {"label": label, "url": url, "webcal_url": feed_tokens.webcal_url(url),
                "google_url": feed_tokens.google_subscribe_url(url)}  # fmt: skip

    units = db.session.scalars(
        select(Unit).where(Unit.kind.in_(("branch", "section"))).order_by(Unit.position, Unit.id)
    ).all()
    return render_template(
        "calendars/public.html",
        everything=entry(_("すべての公開イベント")),
        by_kind=[entry(kind_label(k), kind=k) for k in KINDS],
        by_branch=[entry(localized(u), branch=u.slug) for u in units if u.kind == "branch"],
        by_section=[entry(localized(u), section=u.slug) for u in units if u.kind == "section"],
    )


@bp.post("/calendar/feed/<purpose>")
@login_required
def issue_feed(purpose: str):
    """Issue the person's feed URL (first time) or, with `regenerate`, replace it."""
    if purpose not in feed_tokens.feed_purposes(current_user):
        abort(404)
    if request.form.get("action") == "regenerate":
        feed_tokens.regenerate_feed_token(current_user, now_utc(), purpose)
        message = _("新しい購読URLを発行しました。以前のURLは使えなくなりました。")
    else:
        feed_tokens.ensure_feed_token(current_user, now_utc(), purpose)
        message = _("購読URLを発行しました。")
    flash(message, "success")
    return redirect(url_for("mypage.index") + "#calendar-heading")
