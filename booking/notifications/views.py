"""Staff: the delivery log (/staff/outbox) — messages by status, errors, resend and cancel."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from booking.errors import DomainError, NotFound
from booking.extensions import db
from booking.notifications import reminders, services
from booking.notifications.forms import ReminderRuleForm, preset_key
from booking.notifications.log import FILTERS, log_lines, status_words
from booking.notifications.offsets import PRESETS
from booking.staff.access import staff_required
from booking.storable import db_int_or_none
from booking.timefmt import now_utc
from booking.unit_of_work import undo

bp = Blueprint("outbox", __name__, url_prefix="/staff/outbox")

# The event filter offers events that ended at most this long ago (and every coming one).
EVENT_CHOICES_SINCE = timedelta(days=90)


def _filters() -> dict:
    args = request.values
    status, before, event = args.get("status", ""), args.get("before", ""), args.get("event", "")
    return {
        "status": status if status in FILTERS else "",
        "q": args.get("q", "").strip()[:100],
        "event": db_int_or_none(event) if event.isdigit() else None,
        "before": db_int_or_none(before) if before.isdigit() else None,
    }


def _event_choices(selected):
    """Events this staff member manages, recent and coming ones first (the event filter)."""
    from sqlalchemy import select

    from booking.events.models import Event
    from booking.org.policy import managed_events

    since = now_utc() - EVENT_CHOICES_SINCE
    ids = select(managed_events(current_user).subquery().c.id)
    events = list(
        db.session.scalars(
            select(Event)
            .where(Event.id.in_(ids), Event.ends_at > since)
            .order_by(Event.starts_at)
            .limit(200)
        )
    )
    if selected is not None and selected not in events:
        events.insert(0, selected)
    return events


def _scope():
    """The `about` values this staff member may see, or None for the whole log: staff who
    manage HQ's events (HQ, admins) see everything; branch staff their unit's bookings."""
    from sqlalchemy import select

    from booking.org.policy import can_manage, managed_events
    from booking.org.services import unit_by_key

    hq = unit_by_key("hq")
    if hq is not None and can_manage(current_user, hq):
        return None
    ids = select(managed_events(current_user).subquery().c.id)
    return services.unit_abouts(ids, current_user.unit_id)


def _message_in_scope(message_id: int) -> None:
    """Another unit's message answers 404, as if it did not exist."""
    scope = _scope()
    if scope is not None and not services.message_in(message_id, scope):
        abort(404)


@bp.get("/")
@staff_required
def index():
    filters = _filters()
    event = _event_or_404(filters["event"]) if filters["event"] is not None else None
    abouts = services.event_abouts([event.id]) if event is not None else _scope()
    rows = services.list_messages(filters["status"], filters["q"], filters["before"], abouts)
    more = len(rows) > services.PAGE_SIZE
    rows = rows[: services.PAGE_SIZE]
    return render_template(
        "notifications/outbox.html",
        lines=log_lines(rows),
        counts=services.status_counts(filters["q"], abouts),
        filters=filters,
        event=event,
        events=_event_choices(event),
        next_before=rows[-1].id if more and rows else None,
        statuses=FILTERS,
        status_words=status_words,
    )


def _back():
    filters = {k: v for k, v in _filters().items() if v}
    return redirect(url_for("outbox.index", **filters))


@bp.post("/<int:message_id>/resend")
@staff_required
def resend(message_id: int):
    _message_in_scope(message_id)
    try:
        services.resend_message(message_id, now_utc())
    except NotFound:
        abort(404)
    except DomainError:
        undo()  # the answer is a redirect, which would commit the refused change
        flash(_("このメールは再送できません（送信待ちまたは送信中です）。"), "error")
    else:
        flash(_("メールを再送します。次の送信処理で送られます。"), "success")
    return _back()


@bp.post("/<int:message_id>/cancel")
@staff_required
def cancel(message_id: int):
    _message_in_scope(message_id)
    try:
        services.cancel_message(message_id, now_utc())
    except NotFound:
        abort(404)
    except DomainError:
        undo()  # the answer is a redirect, which would commit the refused change
        flash(_("このメールは送信済みのため取り消せません。"), "error")
    else:
        flash(_("メールの送信を取り消しました。"), "success")
    return _back()


# --- an event's reminders (staff edit subject, body and timing) ---------------------------


def _event_or_404(event_id: int):
    """An event this staff member manages (another unit's answers 404, as if it did not exist)."""
    from booking.events.models import Event
    from booking.org.policy import can_manage

    event = db.session.get(Event, event_id)
    if event is None or not can_manage(current_user, event):
        abort(404)
    return event


@bp.route("/events/<int:event_id>/reminders", methods=["GET", "POST"])
@staff_required
def event_reminders(event_id: int):
    event = _event_or_404(event_id)
    rules = reminders.event_rules(event_id)
    editing = None
    if request.args.get("rule", "").isdigit():
        editing = next((r for r in rules if r.id == int(request.args["rule"])), None)
    form = ReminderRuleForm()
    if request.method == "GET":
        if editing is not None:
            form.fill_from(editing)
        else:
            form.timing.data = preset_key(*PRESETS[0])
    if form.validate_on_submit():
        anchor, direction, duration = form.chosen()
        try:
            reminders.save_reminder_rule(
                event_id, now_utc(), anchor=anchor, direction=direction,
                duration=duration, subject=form.subject.data or "",
                body=form.body.data or "", subject_en=form.subject_en.data or "",
                body_en=form.body_en.data or "", active=form.active.data,
                rule_id=editing.id if editing else None,
            )  # fmt: skip
        except DomainError:
            undo()  # the page lists the rules below: it must not show the refused one
            form.timing.errors.append(_("送るタイミングを確認してください。"))
        else:
            flash(_("リマインダーを保存しました。"), "success")
            return redirect(url_for("outbox.event_reminders", event_id=event_id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "notifications/event_reminders.html", event=event, rules=rules, form=form,
        editing=editing, defaults=reminders.parse_offsets(current_app.config["REMINDER_OFFSETS"]),
    ), status  # fmt: skip


@bp.post("/events/<int:event_id>/reminders/<int:rule_id>/delete")
@staff_required
def delete_event_reminder(event_id: int, rule_id: int):
    _event_or_404(event_id)
    try:
        reminders.delete_reminder_rule(event_id, rule_id, now_utc())
    except NotFound:
        abort(404)
    flash(_("リマインダーを削除しました。"), "success")
    return redirect(url_for("outbox.event_reminders", event_id=event_id))
