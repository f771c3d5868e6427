"""The door of an event (/staff/events/<id>/checkin): check-in by pass or by name on the event's
days, the health attestation shown when the event asks for it, and undoing a mistaken check-in."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from booking.errors import Conflict
from booking.events.attendees import attendees
from booking.events.catalogue import checked_in_count, confirmed_counts
from booking.events.door import check_in_at_door, undo_check_in
from booking.events.models import Event, Registration
from booking.events.passes import registration_for_pass
from booking.events.policy import check_in_refusal, registration_of
from booking.events.staff_action_forms import UndoCheckInForm
from booking.events.staff_pages import managed_event
from booking.extensions import db
from booking.refusals import refusals
from booking.staff.access import staff_required
from booking.storable import db_int_or_none
from booking.timefmt import now_utc

bp = Blueprint("staff_door", __name__, url_prefix="/staff/events")
RECENT = 30


def asks_attestation(reg: Registration) -> bool:
    """The door shows the health attestation of in-person attendees when the event asks for it."""
    return bool(reg.event.attestation and reg.frame.mode == "in_person")


def _recent(event: Event) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id, Registration.checked_in_at.is_not(None))
            .options(joinedload(Registration.user), joinedload(Registration.frame))
            .order_by(Registration.checked_in_at.desc(), Registration.id.desc())
            .limit(RECENT)
        )
    )


def _page(event: Event, result=None, reg=None, refusal=None, status=200, undo_form=None):
    q = request.args.get("q", "").strip()[:50]
    matches = attendees(event, status="confirmed", q=q) if q else []
    confirmed = confirmed_counts([event.id]).get(event.id, {}).get("confirmed", 0)
    return render_template(
        "staff/events/checkin.html", event=event, result=result, reg=reg, q=q, matches=matches,
        checked=checked_in_count(event.id), confirmed=confirmed, refusal=refusal,
        closed=check_in_refusal(event, now_utc()), recent=_recent(event),
        asks_attestation=asks_attestation, undo_form=undo_form or UndoCheckInForm(formdata=None),
    ), status  # fmt: skip


@bp.route("/<int:event_id>/checkin", methods=["GET", "POST"])
@staff_required
def checkin(event_id: int):
    """Door check-in: a handheld scanner types the pass token and Enter into the focused input."""
    event = managed_event(event_id)
    if request.method == "GET":
        return _page(event)
    result, reg, refusal = None, None, None
    token = (request.form.get("token") or "").strip()
    reg_id = db_int_or_none(request.form.get("reg_id"))
    if token:
        reg = registration_for_pass(token)
    elif reg_id is not None:
        reg = db.session.get(Registration, reg_id)
    if reg is None or reg.event_id != event.id:
        result, reg = "unknown", None
    else:
        with refusals(quiet=True) as outcome:
            result = "ok" if check_in_at_door(reg, now_utc(), by=current_user) else "again"
        if isinstance(outcome.refused, Conflict) and outcome.refused.code == "not_event_day":
            result, refusal = "closed", outcome.refused.message
        elif outcome.refused:
            result = "not_confirmed"
    return _page(event, result, reg, refusal)


@bp.post("/<int:event_id>/checkin/<int:reg_id>/undo")
@staff_required
def undo(event_id: int, reg_id: int):
    event = managed_event(event_id)
    reg = registration_of(event, reg_id)
    form = UndoCheckInForm()
    if form.validate_on_submit():
        with refusals(form):
            undo_check_in(reg, now_utc(), by=current_user, reason=form.reason.data)
            flash(_("%(name)s 様の受付を取り消しました。", name=reg.user.full_name), "success")
            return redirect(url_for("staff_door.checkin", event_id=event.id))
    return _page(event, "undo_failed", reg, status=422, undo_form=form)
