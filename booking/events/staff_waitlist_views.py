"""The waitlist of an event for staff (/staff/events/<id>/waitlist): in order with positions;
move a person with a kept reason; promote a named person into a free seat."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.events.models import Event
from booking.events.policy import registration_of
from booking.events.registrations import waiting_list
from booking.events.staff_action_forms import REASON_HINT, MoveForm, PromoteForm
from booking.events.staff_pages import managed_event
from booking.events.waitlist import move_in_waitlist, promote_named, promotion_refusal
from booking.refusals import form_page, refusals
from booking.staff.access import staff_required
from booking.timefmt import now_utc

bp = Blueprint("staff_waitlist", __name__, url_prefix="/staff/events")
SHOWN = 300


def _row_ids(form, row: str) -> None:
    """Every row has the same forms: their fields get ids of their own (`move12-reason`)."""
    for f in form:
        f.id = f"{row}-{f.name}"


def _page(event: Event, failed: tuple[int, str, object] | None = None):
    """The page, every row with its forms; `failed` (reg id, which, form) keeps what was typed
    and the messages of a refused post."""
    now = now_utc()
    frames = []
    for frame in event.frames:
        rows = []
        for position, reg in enumerate(waiting_list(frame.id)[:SHOWN], start=1):
            move, promote = MoveForm(formdata=None), PromoteForm(formdata=None)
            if failed and failed[0] == reg.id:
                move, promote = (failed[2], promote) if failed[1] == "move" else (move, failed[2])
            _row_ids(move, f"move{reg.id}")
            _row_ids(promote, f"promote{reg.id}")
            rows.append({"reg": reg, "position": position, "move": move, "promote": promote,
                         "failed": failed[1] if failed and failed[0] == reg.id else None})  # fmt: skip
        frames.append({"frame": frame, "rows": rows, "refusal": promotion_refusal(frame, now)})
    form = failed[2] if failed else PromoteForm(formdata=None)
    return form_page(
        "staff/events/waitlist.html", form, event=event, frames=frames, reason_hint=REASON_HINT
    )


@bp.get("/<int:event_id>/waitlist")
@staff_required
def waitlist(event_id: int):
    return _page(managed_event(event_id))


@bp.post("/<int:event_id>/waitlist/<int:reg_id>/move")
@staff_required
def move(event_id: int, reg_id: int):
    event = managed_event(event_id)
    reg = registration_of(event, reg_id)
    form = MoveForm()
    if form.validate_on_submit():
        with refusals(form):
            before, after = move_in_waitlist(
                reg, form.position.data, by=current_user, now=now_utc(), reason=form.reason.data
            )
            flash(_("%(name)s 様をキャンセル待ち%(a)s番目から%(b)s番目に移しました。",
                    name=reg.user.full_name, a=before, b=after), "success")  # fmt: skip
            return redirect(url_for("staff_waitlist.waitlist", event_id=event.id))
    return _page(event, (reg.id, "move", form))


@bp.post("/<int:event_id>/waitlist/<int:reg_id>/promote")
@staff_required
def promote(event_id: int, reg_id: int):
    event = managed_event(event_id)
    reg = registration_of(event, reg_id)
    form = PromoteForm()
    if form.validate_on_submit():
        with refusals(form):
            promote_named(reg, by=current_user, now=now_utc(), reason=form.reason.data)
            flash(_("%(name)s 様を繰り上げ、参加確定にしました。", name=reg.user.full_name),
                  "success")  # fmt: skip
            return redirect(url_for("staff_waitlist.waitlist", event_id=event.id))
    return _page(event, (reg.id, "promote", form))
