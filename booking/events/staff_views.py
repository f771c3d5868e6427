"""Staff tools (/staff/events): create, edit, publish, cancel, capacity, lottery, attendees,
CSV, door check-in, messages and closures. Staff of a branch see only their unit's events."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from booking.csvexport import csv_response
from booking.errors import DomainError, Invalid
from booking.events.attendees import attendee_table, attendees, message_attendees
from booking.events.changes import cancel_event, move_online, update_event
from booking.events.lottery import lottery_applicants_at_draw, run_lottery
from booking.events.models import Event, Frame, Registration
from booking.events.passes import check_in, company_no_shows, registration_for_pass
from booking.events.payload import event_from_payload
from booking.events.registrations import cancel_registration, change_capacity
from booking.events.services import can_manage, confirmed_counts, create_event, managed_events
from booking.events.staff_forms import (
    EventForm,
    MessageForm,
    fill_from,
    parse_questions,
    payload_from,
    questions_text,
)
from booking.extensions import db
from booking.main.forms import apply_domain_error
from booking.org.models import Unit
from booking.staff.access import staff_required
from booking.storable import db_int, db_int_or_none
from booking.timefmt import as_utc, now_utc, parse_local

bp = Blueprint("staff_events", __name__, url_prefix="/staff/events")
FRAME_FIELDS = ("venue_capacity", "venue_price", "venue_audience", "online_capacity",
                "online_price", "online_audience", "per_company_limit", "lottery", "closes_at")  # fmt: skip


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not can_manage(current_user, event):
        abort(404)
    return event


def _tag_choices() -> list[SelectChoice]:
    units = db.session.scalars(
        select(Unit)
        .where(Unit.kind.in_(("section", "group")))
        .order_by(Unit.kind.desc(), Unit.position)
    )
    return [SelectChoice(u.key, u.name) for u in units]


def _unit_choices() -> list[SelectChoice]:
    units = db.session.scalars(select(Unit).order_by(Unit.kind != "hq", Unit.kind, Unit.position))
    return [SelectChoice(u.key, u.name) for u in units if can_manage(current_user, u)]


@bp.get("/")
@staff_required
def index():
    now = now_utc()
    show = request.args.get("show", "upcoming")
    query = managed_events(current_user).options(
        selectinload(Event.frames), selectinload(Event.unit)
    )
    if show == "past":
        query = query.where(Event.ends_at <= now).order_by(Event.starts_at.desc())
    else:
        query = query.where(Event.ends_at > now).order_by(Event.starts_at)
    events = list(db.session.scalars(query.limit(200)))
    counts = confirmed_counts([e.id for e in events])
    return render_template("staff/events/index.html", events=events, counts=counts, show=show)


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new():
    form = EventForm()
    form.unit.choices = _unit_choices()
    form.tags.choices = _tag_choices()
    if request.method == "GET":
        form.venue_capacity.data = 50
    if form.validate_on_submit():
        status = "published" if request.form.get("publish") else "draft"
        try:
            values = event_from_payload(payload_from(form, status))
            event = create_event(values, current_user, now_utc())
        except DomainError as exc:
            db.session.rollback()
            _apply(form, exc)
        else:
            db.session.commit()
            flash(_("イベントを作成しました。"), "success")
            return redirect(url_for("staff_events.manage", event_id=event.id))
    return render_template("staff/events/form.html", form=form, event=None), (
        422 if form.errors or form.form_errors else 200
    )


def _apply(form, exc: DomainError) -> None:
    field = (exc.field or "").split(".")[0].split("[")[0]
    mapping = {"venue": "venue_name", "frames": "venue_capacity"}
    exc.field = mapping.get(field, field)
    apply_domain_error(form, exc)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(event_id: int):
    event = _event(event_id)
    form = EventForm()
    form.unit.choices = _unit_choices()
    form.tags.choices = _tag_choices()
    for name in FRAME_FIELDS:  # frames are changed on the manage page, one by one
        delattr(form, name)
    if request.method == "GET":
        fill_from(form, event)
    if form.validate_on_submit():
        payload = payload_from(form, with_frames=False)
        if (form.questions.data or "").strip() != questions_text(event).strip():
            payload["questions"] = parse_questions(form.questions.data or "")
        try:
            values = event_from_payload(payload, partial=True)
            update_event(event, values, current_user, now_utc())
        except DomainError as exc:
            db.session.rollback()
            _apply(form, exc)
        else:
            db.session.commit()
            flash(_("イベントを更新しました。"), "success")
            return redirect(url_for("staff_events.manage", event_id=event.id))
    return render_template("staff/events/form.html", form=form, event=event), (
        422 if form.errors or form.form_errors else 200
    )


@bp.get("/<int:event_id>")
@staff_required
def manage(event_id: int):
    event = _event(event_id)
    counts = confirmed_counts([event.id]).get(event.id, {})
    waiting = dict(
        db.session.execute(
            select(Registration.frame_id, func.count())
            .where(Registration.event_id == event.id, Registration.status == "waitlisted")
            .group_by(Registration.frame_id)
        ).all()
    )
    applied = dict(
        db.session.execute(
            select(Registration.frame_id, func.count())
            .where(Registration.event_id == event.id, Registration.status == "applied")
            .group_by(Registration.frame_id)
        ).all()
    )
    return render_template(
        "staff/events/manage.html", event=event, counts=counts, waiting=waiting, applied=applied,
        now=now_utc(), as_utc=as_utc,
    )  # fmt: skip


def _done(event: Event, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("staff_events.manage", event_id=event.id))


def _refused(event: Event, exc: DomainError):
    db.session.rollback()
    flash(str(exc.message), "error")
    return redirect(url_for("staff_events.manage", event_id=event.id)), 303


@bp.post("/<int:event_id>/publish")
@staff_required
def publish(event_id: int):
    event = _event(event_id)
    try:
        update_event(event, {"status": "published"}, current_user, now_utc())
    except DomainError as exc:
        return _refused(event, exc)
    return _done(event, _("イベントを公開しました。"))


@bp.route("/<int:event_id>/cancel", methods=["GET", "POST"])
@staff_required
def cancel(event_id: int):
    event = _event(event_id)
    if request.method == "POST":
        n = cancel_event(event, current_user, now_utc())
        return _done(event, _("イベントを中止し、%(n)s名にお知らせしました。", n=n))
    counts = confirmed_counts([event.id]).get(event.id, {})
    return render_template("staff/events/cancel.html", event=event, counts=counts)


@bp.post("/<int:event_id>/frames/<int:frame_id>/capacity")
@staff_required
def capacity(event_id: int, frame_id: int):
    event = _event(event_id)
    frame = db.session.get(Frame, frame_id)
    if frame is None or frame.event_id != event.id:
        abort(404)
    try:
        value = db_int(request.form.get("capacity", ""))
        promoted = change_capacity(frame, value, now_utc())
    except ValueError:
        return _refused(event, Invalid(_("定員は0以上の整数で指定してください。")))
    except DomainError as exc:
        return _refused(event, exc)
    return _done(
        event, _("定員を%(n)s名に変更しました（繰り上げ %(p)s名）。", n=value, p=len(promoted))
    )


@bp.post("/<int:event_id>/frames/<int:frame_id>/lottery")
@staff_required
def lottery(event_id: int, frame_id: int):
    event = _event(event_id)
    frame = db.session.get(Frame, frame_id)
    if frame is None or frame.event_id != event.id:
        abort(404)
    seed = (request.form.get("seed") or "").strip()[:64] or None
    try:
        result = run_lottery(frame, now_utc(), current_user, seed=seed)
    except DomainError as exc:
        return _refused(event, exc)
    return _done(
        event,
        _("抽選を実施しました（シード %(seed)s）: 当選 %(won)s名、キャンセル待ち %(lost)s名。",
          seed=result["seed"], won=result["won"], lost=result["waitlisted"]),
    )  # fmt: skip


@bp.get("/<int:event_id>/frames/<int:frame_id>/lottery/replay")
@staff_required
def lottery_replay(event_id: int, frame_id: int):
    """Audit: the draw order the recorded seed gives, next to what was decided."""
    event = _event(event_id)
    frame = db.session.get(Frame, frame_id)
    if frame is None or frame.event_id != event.id or not frame.lottery_seed:
        abort(404)
    order = lottery_applicants_at_draw(frame)
    return render_template("staff/events/lottery.html", event=event, frame=frame, order=order)


@bp.get("/<int:event_id>/attendees")
@staff_required
def attendee_list(event_id: int):
    event = _event(event_id)
    status = request.args.get("status", "active")
    sort = request.args.get("sort", "kana")
    regs = attendees(event, status=status, sort=sort, q=request.args.get("q", "")[:50])
    no_shows = company_no_shows(list({r.company_id for r in regs if r.company_id}), now_utc())
    return render_template(
        "staff/events/attendees.html", event=event, regs=regs, status=status, sort=sort,
        no_shows=no_shows,
    )  # fmt: skip


@bp.get("/<int:event_id>/attendees.csv")
@staff_required
def attendee_csv(event_id: int):
    event = _event(event_id)
    status = request.args.get("status", "")
    header, rows = attendee_table(event, attendees(event, status=status, sort="kana"))
    return csv_response(header, rows, f"attendees-{event.id}.csv")


@bp.post("/<int:event_id>/registrations/<int:reg_id>/cancel")
@staff_required
def cancel_attendee(event_id: int, reg_id: int):
    event = _event(event_id)
    reg = db.session.get(Registration, reg_id)
    if reg is None or reg.event_id != event.id:
        abort(404)
    try:
        cancel_registration(reg, now_utc(), by_staff=True)
    except DomainError as exc:
        return _refused(event, exc)
    db.session.commit()
    flash(_("受付番号 %(ref)s をキャンセルしました。", ref=reg.reference), "success")
    return redirect(url_for("staff_events.attendee_list", event_id=event.id))


@bp.route("/<int:event_id>/checkin", methods=["GET", "POST"])
@staff_required
def checkin(event_id: int):
    """Door check-in: a handheld scanner types the pass token and Enter into the focused input."""
    event = _event(event_id)
    result, reg = None, None
    if request.method == "POST":
        token = (request.form.get("token") or "").strip()
        reg_id = db_int_or_none(request.form.get("reg_id"))
        if token:
            reg = registration_for_pass(token)
        elif reg_id is not None:
            reg = db.session.get(Registration, reg_id)
        if reg is None or reg.event_id != event.id:
            result, reg = "unknown", None
        else:
            try:
                result = "ok" if check_in(reg, now_utc()) else "again"
            except DomainError:
                result = "not_confirmed"
            db.session.commit()
    q = request.args.get("q", "").strip()[:50]
    matches = attendees(event, status="confirmed", q=q) if q else []
    checked = db.session.scalar(
        select(func.count()).where(
            Registration.event_id == event.id, Registration.checked_in_at.is_not(None)
        )
    )
    confirmed = confirmed_counts([event.id]).get(event.id, {}).get("confirmed", 0)
    return render_template(
        "staff/events/checkin.html", event=event, result=result, reg=reg, q=q, matches=matches,
        checked=checked, confirmed=confirmed,
    )  # fmt: skip


@bp.route("/<int:event_id>/message", methods=["GET", "POST"])
@staff_required
def message(event_id: int):
    event = _event(event_id)
    form = MessageForm()
    form.frame.choices = [SelectChoice("", _("すべての参加枠"))] + [
        SelectChoice(str(f.id), f.name) for f in event.frames
    ]
    if form.validate_on_submit():
        n = message_attendees(
            event, form.subject.data, form.body.data, now_utc(),
            frame_id=int(form.frame.data) if form.frame.data else None, status=form.status.data,
        )  # fmt: skip
        return _done(event, _("%(n)s名にメッセージを送信予定にしました。", n=n))
    return render_template("staff/events/message.html", event=event, form=form), (
        422 if form.errors else 200
    )


@bp.post("/<int:event_id>/move-online")
@staff_required
def online(event_id: int):
    event = _event(event_id)
    try:
        n = move_online(
            event, current_user, now_utc(), (request.form.get("online_url") or "").strip()
        )
    except DomainError as exc:
        return _refused(event, exc)
    return _done(event, _("オンライン開催に切り替え、%(n)s名の会場参加者を移しました。", n=n))


@bp.post("/<int:event_id>/reschedule")
@staff_required
def reschedule(event_id: int):
    event = _event(event_id)
    try:
        start = parse_local(request.form.get("starts_at", ""))
        end = parse_local(request.form.get("ends_at", ""))
    except ValueError:
        return _refused(event, Invalid(_("日時を正しく入力してください。")))
    try:
        update_event(event, {"starts_at": start, "ends_at": end}, current_user, now_utc())
    except DomainError as exc:
        return _refused(event, exc)
    return _done(event, _("開催日時を変更し、申込者にお知らせしました。"))
