"""Branch pages (`/branches/`, `/branches/<slug>`): each branch's upcoming events, its
consultation desk and its public calendar feed, so 支部 on the home page and in the nav lead
somewhere."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from booking.calendars.feed_tokens import google_subscribe_url, webcal_url
from booking.consultations.catalogue import branches_for, themes
from booking.events.catalogue import EventFilters, find_events, visible_events
from booking.events.models import Event
from booking.events.registrations import frame_state
from booking.extensions import db
from booking.org.services import unit_by_key, units_of_kind
from booking.timefmt import now_utc

bp = Blueprint("branches", __name__, url_prefix="/branches")
SHOWN = 30  # upcoming events listed on a branch page


def upcoming_counts(now) -> dict[int, int]:
    """{unit_id: upcoming events the viewer may see that the unit organises}, in one query."""
    seen = visible_events(current_user).where(Event.ends_at > now).subquery()
    rows = db.session.execute(select(seen.c.unit_id, func.count()).group_by(seen.c.unit_id))
    return dict(rows.all())


@bp.get("/")
def index():
    return render_template(
        "main/branches.html", branches=units_of_kind("branch"), counts=upcoming_counts(now_utc())
    )


def desk_themes(branch) -> list:
    """Consultation themes people can book at this branch's desk (支部窓口)."""
    return [t for t in themes() if any(b.id == branch.id for b in branches_for(t, "branch"))]


def feed_links(branch) -> dict:
    """The branch's public calendar feed (calendars.public_feed with a branch filter)."""
    url = (
        current_app.config["BASE_URL"]
        + url_for("calendars.public_feed")
        + "?"
        + urlencode({"branch": branch.slug})
    )
    return {"url": url, "webcal_url": webcal_url(url), "google_url": google_subscribe_url(url)}


@bp.get("/<slug>")
def detail(slug: str):
    branch = unit_by_key(f"branch:{slug}")
    if branch is None:
        abort(404)
    now = now_utc()
    events = find_events(current_user, EventFilters(unit=branch.key), now, limit=SHOWN + 1)
    return render_template(
        "main/branch.html", branch=branch, events=events[:SHOWN], more=len(events) > SHOWN,
        now=now, frame_state=frame_state, desk_themes=desk_themes(branch),
        feed=feed_links(branch),
    )  # fmt: skip
