"""Entrance pages for staff at the fair's doors: choose the door, then scan passes.

A handheld QR scanner types the pass token and Enter into the focused field; the page shows
the last scan's result large (entered / already entered today / refused) and the day's
entries per entrance. A visitor without a pass is registered on the spot (当日受付) and let in.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from booking.events.attendees import attendees
from booking.events.models import Event
from booking.exhibitions.entrance.entries import (
    ENTERED,
    day_counts,
    enter,
    exhibition_for_scan,
    scan_day,
)
from booking.exhibitions.entrance.forms import WalkInForm
from booking.exhibitions.entrance.walk_ins import WalkIn, register_walk_in, walk_in_frames
from booking.exhibitions.lookup import fair_days, get_exhibition
from booking.exhibitions.models import Entry, Exhibition
from booking.extensions import db
from booking.refusals import refusals
from booking.staff.access import staff_required
from booking.timefmt import now_utc, parse_day
from booking.unit_of_work import keep_changes

bp = Blueprint("entrance", __name__, url_prefix="/staff/entrance")


@bp.get("/")
@staff_required
def index():
    exhibitions = db.session.scalars(
        select(Exhibition)
        .join(Event, Event.id == Exhibition.event_id)
        .where(Event.status != "cancelled")
        .order_by(Event.starts_at.desc())
    ).all()
    return render_template("exhibitions/entrance/index.html", exhibitions=exhibitions)


@bp.get("/<int:exhibition_id>/")
@staff_required
def choose(exhibition_id: int):
    """Which entrance this device stands at, and the day (today unless staff pick another)."""
    exhibition = get_exhibition(exhibition_id)
    today = scan_day(exhibition, now_utc())
    days = fair_days(exhibition)
    return render_template(
        "exhibitions/entrance/choose.html", exhibition=exhibition, days=days, today=today,
        choices=sorted(set(days) | {today}),
    )  # fmt: skip


def _desk_place(exhibition, now):
    """The entrance and day a desk page (scan, walk-in) works at, from the request; None when
    the entrance is not one of the fair's or the day cannot be read."""
    entrance = request.values.get("entrance", "").strip()
    day = _day(request.values.get("day", ""))
    if entrance not in (exhibition.entrances or []) or day is False:
        return None
    return entrance, scan_day(exhibition, now, day)


@bp.route("/<int:exhibition_id>/scan", methods=["GET", "POST"])
@staff_required
def scan(exhibition_id: int):
    exhibition = exhibition_for_scan(exhibition_id)
    now = now_utc()
    place = _desk_place(exhibition, now)
    if place is None:
        flash(_("入口と日付を選び直してください。"), "error")
        return redirect(url_for("entrance.choose", exhibition_id=exhibition.id))
    entrance, day = place
    result, status = None, 200
    if request.method == "POST":
        result = enter(exhibition, request.form.get("pass", ""), entrance, now,
                       staff=current_user, day=day)  # fmt: skip
        if result.refused:
            keep_changes()  # as before the unit of work: a refused scan keeps what it did
            status = 404 if result.outcome == "unknown_pass" else 409
    q = request.args.get("q", "").strip()[:50]
    matches = attendees(exhibition.event, status="confirmed", q=q) if q else []
    entered = _entered_today([m.id for m in matches], day)
    return render_template(
        "exhibitions/entrance/scan.html", exhibition=exhibition, entrance=entrance, day=day,
        result=result, ENTERED=ENTERED, counts=day_counts(exhibition, day), q=q,
        matches=matches, entered=entered, fair_day=day in fair_days(exhibition),
    ), status  # fmt: skip


@bp.route("/<int:exhibition_id>/walk-in", methods=["GET", "POST"])
@staff_required
def walk_in(exhibition_id: int):
    """当日受付: register a visitor who has no pass, and let them in at this entrance."""
    exhibition = exhibition_for_scan(exhibition_id)
    now = now_utc()
    place = _desk_place(exhibition, now)
    if place is None:
        flash(_("入口と日付を選び直してください。"), "error")
        return redirect(url_for("entrance.choose", exhibition_id=exhibition.id))
    entrance, day = place
    event = exhibition.event
    form = WalkInForm.for_fair(
        event, walk_in_frames(exhibition), request.form if request.method == "POST" else None
    )
    result, error = None, None
    status = 422 if request.method == "POST" else 200  # until the visitor is registered
    if request.method == "POST" and form.validate():
        visitor = WalkIn(
            form.family_name.data, form.given_name.data, form.family_kana.data,
            form.given_kana.data, form.company.data or "", form.email.data or "",
            form.phone.data or "",
        )  # fmt: skip
        attestation = bool(getattr(form, "attestation", None) and form.attestation.data)
        with refusals(quiet=True) as attempt:
            result = register_walk_in(exhibition, visitor, entrance, now, current_user, day,
                                      frame_id=form.frame.data, attestation=attestation)  # fmt: skip
            if result.refused:
                # The visitor is registered although the entry is refused (409): keep them.
                keep_changes()
                status = 409
            else:
                status = 200
                form = WalkInForm.for_fair(event, walk_in_frames(exhibition))  # the next one
        refused = attempt.refused
        target = getattr(form, refused.field, None) if refused and refused.field else None
        if target is not None:
            target.errors = [*target.errors, refused.message]
        elif refused:
            error = refused
    return render_template(
        "exhibitions/entrance/walk_in.html", exhibition=exhibition, entrance=entrance, day=day,
        form=form, result=result, error=error, ENTERED=ENTERED,
    ), status  # fmt: skip


def _day(raw: str) -> date | bool | None:
    """The chosen day; None when none was given, False when it is not a date."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        return parse_day(raw)
    except ValueError:
        return False


def _entered_today(reg_ids: list[int], day: date) -> dict[int, Entry]:
    if not reg_ids:
        return {}
    rows = db.session.scalars(
        select(Entry).where(Entry.registration_id.in_(reg_ids), Entry.day == day)
    )
    return {e.registration_id: e for e in rows}
