"""Event pages for everyone: list, month calendar, detail, registration, pass, cancellation."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from booking import accommodation
from booking.events.catalogue import EventFilters, count_events, find_events, get_visible_event
from booking.events.company_limits import CompanyLimit, company_limit_refusal, event_limit_refusal
from booking.events.forms import answers_from, offered_frames, registration_form
from booking.events.frame_switch import switch_to_online
from booking.events.models import KINDS, Registration
from booking.events.month import agenda, month_weeks, week_days, week_start
from booking.events.passes import registration_for_link
from booking.events.policy import (
    attends_online,
    can_cancel,
    cancel_refusal,
    has_pass,
    join_url,
    may_switch_to_online,
    online_frames_open_to,
)
from booking.events.registrations import (
    cancel_deadline,
    cancel_registration,
    frame_state,
    get_own_registration,
    register_for_frame,
    waitlist_position,
    window_of,
)
from booking.extensions import db
from booking.org.services import units_by_kind
from booking.refusals import refusals
from booking.storable import db_int
from booking.timefmt import local_zone, now_utc, parse_day, to_local

bp = Blueprint("events", __name__)
PAGE = 30  # cards per page of the list


def _parse_day(value: str) -> datetime | None:
    try:
        return datetime.combine(parse_day(value), time(0), tzinfo=local_zone())
    except (TypeError, ValueError):
        return None


def _filters_from_args(args) -> EventFilters:
    date_to = _parse_day(args.get("to", ""))
    return EventFilters(
        kind=args.get("kind", ""), unit=args.get("unit", ""), format=args.get("format", ""),
        q=args.get("q", "").strip()[:100], date_from=_parse_day(args.get("from", "")),
        date_to=date_to + timedelta(days=1) if date_to else None,
        has_seats=args.get("seats") == "1",
    )  # fmt: skip


def _unit_groups():
    """The organiser select's option groups (本部 / 支部 / 部会 / 委員会 / グループ)."""
    units = units_by_kind()
    return [
        (_("本部"), units["hq"]),
        (_("支部"), units["branch"]),
        (_("部会"), units["section"]),
        (_("委員会"), units["committee"]),
        (_("グループ"), units["group"]),
    ]


@bp.get("/events/")
def index():
    now = now_utc()
    filters = _filters_from_args(request.args)
    view = request.args.get("view", "list")
    unit_groups = _unit_groups()
    month_grid, month_start, prev_month, next_month, days = None, None, "", "", []
    week = None
    if view == "week":
        sunday = week_start(request.args.get("week", ""), now)
        filters.date_from = datetime.combine(sunday, time(0), tzinfo=local_zone())
        filters.date_to = filters.date_from + timedelta(days=7)
        filters.include_past = True
        events = find_events(current_user, filters, now, limit=500)
        week = {"days": week_days(sunday, events, now), "start": sunday,
                "prev": (sunday - timedelta(days=7)).isoformat(),
                "next": (sunday + timedelta(days=7)).isoformat()}  # fmt: skip
        return render_template(
            "events/list.html", events=events, filters=filters, view=view, now=now, week=week,
            unit_groups=unit_groups, total=len(events), kinds=KINDS, frame_state=frame_state,
            page=1, more=False, month_start=None,
        )  # fmt: skip
    if view == "month":
        month_start = _month_start(request.args.get("month", ""), now)
        filters.date_from = month_start
        next_month = (month_start + timedelta(days=32)).replace(day=1)
        filters.date_to = next_month
        filters.include_past = True
        prev_month = (month_start - timedelta(days=1)).strftime("%Y-%m")
        next_month = next_month.strftime("%Y-%m")
    page = max(request.args.get("page", 1, type=db_int) or 1, 1)
    if view == "month":
        events = find_events(current_user, filters, now, limit=500)
        month_grid, more = month_weeks(month_start, events, now), False
        days, total = agenda(month_grid), len(events)
    else:
        events = find_events(current_user, filters, now, PAGE + 1, (page - 1) * PAGE)
        more, events = len(events) > PAGE, events[:PAGE]
        total = count_events(current_user, filters, now) if (more or page > 1) else len(events)
    return render_template(
        "events/list.html", events=events, filters=filters, view=view, now=now,
        month_grid=month_grid, month_start=month_start, prev_month=prev_month,
        next_month=next_month, unit_groups=unit_groups, agenda=days, total=total,
        kinds=KINDS, frame_state=frame_state, page=page, more=more,
    )  # fmt: skip


def _month_start(value: str, now: datetime) -> datetime:
    try:
        year, month = (int(x) for x in value.split("-"))
        return datetime(year, month, 1, tzinfo=local_zone())
    except ValueError:
        local = to_local(now)
        return datetime(local.year, local.month, 1, tzinfo=local_zone())


def _mine(event_id: int) -> Registration | None:
    if not current_user.is_authenticated:
        return None
    return db.session.scalar(
        select(Registration).where(
            Registration.event_id == event_id, Registration.active_user_id == current_user.id
        )
    )


@bp.get("/events/<int:event_id>")
def detail(event_id: int):
    event = get_visible_event(event_id, current_user)
    now = now_utc()
    mine = _mine(event.id)
    states = {f.id: frame_state(f, now) for f in event.frames}
    offered = offered_frames(event, current_user, now) if current_user.is_authenticated else []
    in_person_full = any(
        f.mode == "in_person" and states[f.id] in ("waitlist", "full") for f in event.frames
    )
    online_open = [
        f for f in event.frames if f.mode == "online" and states[f.id] in ("open", "few_left")
    ]
    return render_template(
        "events/detail.html", event=event, now=now, mine=mine, states=states, offered=offered,
        offered_states=[states[f.id] for f in offered],
        overflow=online_open if in_person_full else [], cancel_deadline=cancel_deadline(event),
        position=waitlist_position(mine) if mine else None, join_url=join_url(mine),
        online_frames=online_frames_open_to(mine, now),
        closes={f.id: window_of(f)[1] for f in event.frames},
    )  # fmt: skip


@bp.route("/events/<int:event_id>/register", methods=["GET", "POST"])
@login_required
def register(event_id: int):
    """Form → confirmation page → POST again with `confirmed=1` → completion."""
    event = get_visible_event(event_id, current_user)
    if event.status != "published":
        abort(404)
    now = now_utc()
    if _mine(event.id):
        return redirect(url_for("events.detail", event_id=event.id))
    form = registration_form(
        event, current_user, now, request.form if request.method == "POST" else None
    )
    # The event's per-company limit is said at once, before anything is typed (a refusal,
    # headed as one above the form).
    limit = event_limit_refusal(event, current_user.company_id)
    error = CompanyLimit(limit) if limit else None
    if request.method == "POST" and form.validate() and error is None:
        frame_id = int(form.frame.data)
        attestation = bool(getattr(form, "attestation", None) and form.attestation.data)
        frame = next(f for f in event.frames if f.id == frame_id)
        if refusal := company_limit_refusal(frame, current_user.company_id):
            form.frame.errors = [*form.frame.errors, refusal]  # before the confirm step
        elif request.form.get("confirmed") != "1":
            return render_template(
                "events/confirm.html", event=event, form=form, frame=frame,
                state=frame_state(frame, now), attestation=attestation,
                accommodation=accommodation.requested(form),
            )  # fmt: skip
        else:
            with refusals(quiet=True) as outcome:
                answers, asked = answers_from(form, event), accommodation.requested(form)
                reg = register_for_frame(
                    current_user, event.id, frame_id, answers, now, attestation, accommodation=asked
                )
                return redirect(url_for("events.registration", reg_id=reg.id, done=1))
            exc = outcome.refused
            target = getattr(form, exc.field, None) if exc.field else None
            if target is not None:
                target.errors = [*target.errors, exc.message]
            else:
                error = exc  # shown above the form; a conflict heads it as a refusal
    status = 422 if request.method == "POST" else 200
    return render_template("events/register.html", event=event, form=form, error=error), status


@bp.get("/mypage/registrations/<int:reg_id>")
@login_required
def registration(reg_id: int):
    reg = get_own_registration(reg_id, current_user)
    if reg.user_id != current_user.id:
        abort(404)
    now = now_utc()
    return render_template(
        "events/registration.html", reg=reg, event=reg.event, now=now,
        done=request.args.get("done") == "1", position=waitlist_position(reg),
        can_cancel=can_cancel(reg, now), refusal=cancel_refusal(reg, now) if reg.is_active else None,
        join_url=join_url(reg), attends_online=attends_online(reg), has_pass=has_pass(reg),
        online_frames=online_frames_open_to(reg, now), deadline=cancel_deadline(reg.event),
    )  # fmt: skip


@bp.route("/mypage/registrations/<int:reg_id>/online", methods=["GET", "POST"])
@login_required
def switch_online(reg_id: int):
    """An in-person attendee moves to the online frame: GET confirms, POST moves."""
    reg = get_own_registration(reg_id, current_user)
    now = now_utc()
    if reg.user_id != current_user.id or not may_switch_to_online(reg, now):
        abort(404)
    error, status = None, 200
    if request.method == "POST":
        with refusals(quiet=True) as outcome:
            switch_to_online(reg, request.form.get("frame", type=int), now)
            flash(_("オンライン参加に変更しました。参加用URLはこのページとメールでお知らせします。"),
                  "success")  # fmt: skip
            return redirect(url_for("events.registration", reg_id=reg.id))
        error, status = outcome.refused.message, outcome.refused.status
    frames = online_frames_open_to(reg, now)
    online_full = any(
        f.mode == "online" and frame_state(f, now) in ("full", "waitlist") for f in reg.event.frames
    )
    return render_template(
        "events/switch_online.html", reg=reg, event=reg.event, frames=frames, error=error,
        online_full=online_full,
    ), status  # fmt: skip


@bp.route("/mypage/registrations/<int:reg_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(reg_id: int):
    reg = get_own_registration(reg_id, current_user)
    if reg.user_id != current_user.id:
        abort(404)
    return _cancel_page(reg, action=url_for("events.cancel", reg_id=reg.id))


@bp.route("/r/<token>", methods=["GET", "POST"])
def cancel_link(token: str):
    """The link in every mail: GET only shows a confirmation, so link scanners cancel nothing."""
    reg = registration_for_link(token)
    return _cancel_page(reg, action=request.path)


def _cancel_page(reg: Registration, action: str):
    now = now_utc()
    deadline = cancel_deadline(reg.event)
    error = None
    if request.method == "POST" and reg.is_active:
        with refusals(quiet=True) as outcome:
            cancel_registration(reg, now)
            return render_template("events/cancelled.html", reg=reg, event=reg.event)
        error = outcome.refused.message
    if not reg.is_active:
        return render_template("events/cancelled.html", reg=reg, event=reg.event)
    status = 409 if error else 200
    return render_template(
        "events/cancel.html", reg=reg, event=reg.event, action=action, error=error,
        refusal=cancel_refusal(reg, now), deadline=deadline,
    ), status  # fmt: skip
