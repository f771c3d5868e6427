"""The lottery of a frame (/staff/events/<id>/frames/<fid>/lottery): its deadline (editable
before the draw), the stated weighting, the draw itself after the deadline, and its replay.
The seed is drawn and recorded by the system, never typed in."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.errors import Invalid
from booking.events.audit import weighting_label
from booking.events.catalogue import frame_counts
from booking.events.lottery import (
    lottery_applicants_at_draw,
    recorded_tiers,
    run_lottery,
    set_lottery_deadline,
)
from booking.events.models import Event, Frame
from booking.events.policy import frame_of
from booking.events.registrations import window_of
from booking.events.staff_action_forms import DeadlineForm, LotteryForm
from booking.events.staff_pages import managed_event
from booking.refusals import has_errors, refusals
from booking.staff.access import staff_required
from booking.timefmt import now_utc, parse_local, to_local

bp = Blueprint("staff_lottery", __name__, url_prefix="/staff/events")


def _lottery_frame(event_id: int, frame_id: int) -> tuple[Event, Frame]:
    event = managed_event(event_id)
    frame = frame_of(event, frame_id)
    if not frame.lottery:
        abort(404)
    return event, frame


def _page(event: Event, frame: Frame, form: LotteryForm, deadline: DeadlineForm):
    _, closes = window_of(frame)
    if request.method == "GET" or not deadline.closes_at.raw_data:
        deadline.closes_at.data = to_local(closes).replace(tzinfo=None)
    status = 422 if has_errors(form) or has_errors(deadline) else 200
    return render_template(
        "staff/events/lottery_run.html", event=event, frame=frame, form=form, deadline=deadline,
        closes=closes, open_now=now_utc() < closes,
        applied=frame_counts(event.id, "applied").get(frame.id, 0),
        weighting_label=weighting_label,
    ), status  # fmt: skip


@bp.route("/<int:event_id>/frames/<int:frame_id>/lottery", methods=["GET", "POST"])
@staff_required
def lottery(event_id: int, frame_id: int):
    event, frame = _lottery_frame(event_id, frame_id)
    form = LotteryForm()
    deadline = DeadlineForm(formdata=None)
    if form.validate_on_submit():
        with refusals(form):
            result = run_lottery(frame, now_utc(), current_user, weighting=form.weighting.data)
            flash(_("抽選を実施しました（シード %(seed)s）: 当選 %(won)s名、キャンセル待ち %(lost)s名。",
                    seed=result["seed"], won=result["won"], lost=result["waitlisted"]), "success")  # fmt: skip
            return redirect(url_for("staff_lottery.lottery", event_id=event.id, frame_id=frame.id))
    return _page(event, frame, form, deadline)


@bp.post("/<int:event_id>/frames/<int:frame_id>/lottery/deadline")
@staff_required
def deadline(event_id: int, frame_id: int):
    event, frame = _lottery_frame(event_id, frame_id)
    form = DeadlineForm()
    if form.validate_on_submit():
        with refusals(form):
            try:
                closes_at = parse_local(form.closes_at.data.isoformat())
            except ValueError:
                raise Invalid(_("日時を正しく入力してください。"), field="closes_at") from None
            set_lottery_deadline(frame, closes_at, now_utc(), by=current_user)
            flash(_("申込締切を変更しました。"), "success")
            return redirect(url_for("staff_lottery.lottery", event_id=event.id, frame_id=frame.id))
    return _page(event, frame, LotteryForm(formdata=None), form)


@bp.get("/<int:event_id>/frames/<int:frame_id>/lottery/replay")
@staff_required
def replay(event_id: int, frame_id: int):
    """Audit: the draw order the recorded seed (and weighting) gives, next to what was decided."""
    event, frame = _lottery_frame(event_id, frame_id)
    if not frame.lottery_seed:
        abort(404)
    order = lottery_applicants_at_draw(frame)
    return render_template(
        "staff/events/lottery.html", event=event, frame=frame, order=order,
        tiers=recorded_tiers(frame), weighting_label=weighting_label,
    )  # fmt: skip
