"""Staff tools (/staff/events): create, edit, publish, cancel, capacity, attendees, CSV,
messages and closures (the waitlist, the lottery, the door and the audit log have modules of
their own: staff_waitlist_views, staff_lottery_views, staff_door_views, staff_audit_views).
Staff of a branch see only their unit's events."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from booking.csvexport import csv_response
from booking.errors import Invalid
from booking.events.attendees import attendee_table, attendees, message_attendees
from booking.events.authoring import create_event
from booking.events.catalogue import confirmed_counts, frame_counts
from booking.events.changes import cancel_event, move_online, update_event
from booking.events.models import Event
from booking.events.passes import company_no_shows
from booking.events.payload import event_from_payload
from booking.events.policy import frame_of, registration_of
from booking.events.staff_actions import cancel_on_behalf, change_capacity_by
from booking.events.staff_forms import (
    EventForm,
    MessageForm,
    fill_from,
    parse_questions,
    payload_from,
    questions_text,
    stale_edit_help,
)
from booking.events.versions import StaleEdit, claim, form_version
from booking.extensions import db
from booking.org.policy import can_manage, managed_events
from booking.org.services import tag_units, units_in_order
from booking.refusals import form_page, refusals
from booking.staff.access import staff_required
from booking.storable import db_int
from booking.timefmt import as_utc, now_utc, parse_local

bp = Blueprint("staff_events", __name__, url_prefix="/staff/events")
FRAME_FIELDS = ("venue_capacity", "venue_price", "venue_audience", "online_capacity",
                "online_price", "online_audience", "lottery", "closes_at")  # fmt: skip
# Where a refusal in the event form belongs: the payload's name → the form's field.
FORM_FIELDS = {"venue": "venue_name", "frames": "venue_capacity"}


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not can_manage(current_user, event):
        abort(404)
    return event


def _tag_choices() -> list[SelectChoice]:
    return [SelectChoice(u.key, u.name) for u in tag_units()]


def _unit_choices() -> list[SelectChoice]:
    return [SelectChoice(u.key, u.name) for u in units_in_order() if can_manage(current_user, u)]


def _on_event_page(event: Event, action: Callable[[], str]):
    """Run a staff action from the event's page and go back there: its message on success, the
    rule's refusal (changes undone) otherwise."""
    with refusals() as outcome:
        flash(action(), "success")
    return redirect(
        url_for("staff_events.manage", event_id=event.id), 303 if outcome.refused else 302
    )


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
        with refusals(form, fields=FORM_FIELDS):
            values = event_from_payload(payload_from(form, status))
            event = create_event(values, current_user, now_utc())
            flash(_("イベントを作成しました。"), "success")
            return redirect(url_for("staff_events.manage", event_id=event.id))
    return form_page("staff/events/form.html", form, event=None)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(event_id: int):
    event = _event(event_id)
    form = EventForm()
    form.unit.choices = _unit_choices()
    form.tags.choices = _tag_choices()
    for name in FRAME_FIELDS:  # frames are changed on their own pages (staff_frame_views)
        delattr(form, name)
    if request.method == "GET":
        fill_from(form, event)
    if form.validate_on_submit():
        payload = payload_from(form, with_frames=False)
        if (form.questions.data or "").strip() != questions_text(event).strip():
            payload["questions"] = parse_questions(form.questions.data or "")
        with refusals(form, fields=FORM_FIELDS) as outcome:
            values = event_from_payload(payload, partial=True)
            values["version"] = form_version(form.version.data)
            update_event(event, values, current_user, now_utc())
            flash(_("イベントを更新しました。"), "success")
            return redirect(url_for("staff_events.manage", event_id=event.id))
        if isinstance(outcome.refused, StaleEdit):
            stale_edit_help(form, event)
    return form_page("staff/events/form.html", form, event=event)


@bp.get("/<int:event_id>")
@staff_required
def manage(event_id: int):
    event = _event(event_id)
    counts = confirmed_counts([event.id]).get(event.id, {})
    return render_template(
        "staff/events/manage.html", event=event, counts=counts,
        waiting=frame_counts(event.id, "waitlisted"), applied=frame_counts(event.id, "applied"),
        now=now_utc(), as_utc=as_utc,
    )  # fmt: skip


@bp.post("/<int:event_id>/publish")
@staff_required
def publish(event_id: int):
    event = _event(event_id)

    def publish_it() -> str:
        update_event(event, {"status": "published"}, current_user, now_utc())
        return _("イベントを公開しました。")

    return _on_event_page(event, publish_it)


@bp.route("/<int:event_id>/cancel", methods=["GET", "POST"])
@staff_required
def cancel(event_id: int):
    event = _event(event_id)
    if request.method == "POST":
        return _on_event_page(
            event,
            lambda: _("イベントを中止し、%(n)s名にお知らせしました。",
                      n=cancel_event(event, current_user, now_utc())),
        )  # fmt: skip
    counts = confirmed_counts([event.id]).get(event.id, {})
    return render_template("staff/events/cancel.html", event=event, counts=counts)


@bp.post("/<int:event_id>/frames/<int:frame_id>/capacity")
@staff_required
def capacity(event_id: int, frame_id: int):
    event = _event(event_id)
    frame = frame_of(event, frame_id)

    def change_it() -> str:
        try:
            value = db_int(request.form.get("capacity", ""))
        except ValueError:
            raise Invalid(_("定員は0以上の整数で指定してください。")) from None
        claim(event)  # an open frame or event form saved later is then refused, not applied
        promoted = change_capacity_by(frame, value, now_utc(), by=current_user)
        return _("定員を%(n)s名に変更しました（繰り上げ %(p)s名）。", n=value, p=len(promoted))

    return _on_event_page(event, change_it)


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
    reg = registration_of(event, reg_id)
    with refusals() as outcome:
        cancel_on_behalf(reg, now_utc(), by=current_user)
        flash(_("受付番号 %(ref)s をキャンセルしました。", ref=reg.reference), "success")
    if outcome.refused:
        return redirect(url_for("staff_events.manage", event_id=event.id), 303)
    return redirect(url_for("staff_events.attendee_list", event_id=event.id))


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
        flash(_("%(n)s名にメッセージを送信予定にしました。", n=n), "success")
        return redirect(url_for("staff_events.manage", event_id=event.id))
    return form_page("staff/events/message.html", form, event=event)


@bp.post("/<int:event_id>/move-online")
@staff_required
def online(event_id: int):
    event = _event(event_id)
    url = (request.form.get("online_url") or "").strip()

    def move_it() -> str:
        n = move_online(event, current_user, now_utc(), url)
        return _("オンライン開催に切り替え、%(n)s名の会場参加者を移しました。", n=n)

    return _on_event_page(event, move_it)


@bp.post("/<int:event_id>/reschedule")
@staff_required
def reschedule(event_id: int):
    event = _event(event_id)

    def move_it() -> str:
        try:
            start = parse_local(request.form.get("starts_at", ""))
            end = parse_local(request.form.get("ends_at", ""))
        except ValueError:
            raise Invalid(_("日時を正しく入力してください。")) from None
        update_event(event, {"starts_at": start, "ends_at": end}, current_user, now_utc())
        return _("開催日時を変更し、申込者にお知らせしました。")

    return _on_event_page(event, move_it)
