"""Staff pages of an event's frames (参加枠): list, add, edit, reorder, close, reopen, delete.

/staff/events/<id>/frames… — the rules are in `events/frames.py`; every form carries the
event's version, so a save based on what another staff member has since changed is refused
(`versions.StaleEdit`) and the page keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.errors import DomainError
from booking.events.catalogue import frame_counts
from booking.events.frames import (
    add_frame,
    close_frame,
    delete_frame,
    may_delete,
    move_frame,
    reopen_frame,
    update_frame,
)
from booking.events.models import Event
from booking.events.payload import frame_from_payload
from booking.events.policy import frame_of
from booking.events.registrations import frame_state
from booking.events.staff_forms import FrameForm, fill_frame, frame_payload
from booking.events.versions import StaleEdit, form_version
from booking.extensions import db
from booking.org.policy import can_manage
from booking.refusals import form_page, refusals
from booking.staff.access import staff_required
from booking.timefmt import now_utc

bp = Blueprint("staff_frames", __name__, url_prefix="/staff/events")
# Where a refusal of the frame payload belongs: "frames[0].capacity" → the form's field.
_FIELDS = {"frames": "name"}


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not can_manage(current_user, event):
        abort(404)
    return event


def _field_of(exc) -> None:
    """frame_from_payload names fields `frames[0].capacity`: the form calls it `capacity`."""
    if exc.field and exc.field.startswith("frames[0]."):
        exc.field = exc.field.removeprefix("frames[0].")


@bp.get("/<int:event_id>/frames")
@staff_required
def index(event_id: int):
    event = _event(event_id)
    now = now_utc()
    return render_template(
        "staff/events/frames/index.html", event=event, now=now,
        waiting=frame_counts(event.id, "waitlisted"), applied=frame_counts(event.id, "applied"),
        states={f.id: frame_state(f, now) for f in event.frames},
        deletable={f.id: may_delete(f) for f in event.frames},
    )  # fmt: skip


def _save(form: FrameForm, action: Callable, message: str, event: Event):
    with refusals(form, fields=_FIELDS) as outcome:
        try:
            data = frame_from_payload(frame_payload(form), 0)
        except DomainError as exc:  # its field named as the form names it
            _field_of(exc)
            raise
        action(data, form_version(form.version.data))
        flash(message, "success")
        return redirect(url_for("staff_frames.index", event_id=event.id))
    if isinstance(outcome.refused, StaleEdit):
        form.version.data = str(event.version)  # saving again, after checking, overwrites
    return None


@bp.route("/<int:event_id>/frames/new", methods=["GET", "POST"])
@staff_required
def new(event_id: int):
    event = _event(event_id)
    form = FrameForm()
    if request.method == "GET":
        form.capacity.data, form.waitlist.data = 50, True
        form.mode.data = (
            "online" if any(f.mode == "in_person" for f in event.frames) else "in_person"
        )
        form.version.data = str(event.version)
    if form.validate_on_submit():
        done = _save(
            form, lambda data, v: add_frame(event, data, current_user, now_utc(), v),
            _("参加枠を追加しました。"), event,
        )  # fmt: skip
        if done is not None:
            return done
    return form_page("staff/events/frames/form.html", form, event=event, frame=None)


@bp.route("/<int:event_id>/frames/<int:frame_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(event_id: int, frame_id: int):
    event = _event(event_id)
    frame = frame_of(event, frame_id)
    form = FrameForm()
    if request.method == "GET":
        fill_frame(form, frame)
    if form.validate_on_submit():

        def change(data, version):
            promoted = update_frame(frame, data, current_user, now_utc(), version)
            if promoted:
                flash(_("キャンセル待ちから%(n)s名を繰り上げました。", n=len(promoted)), "success")

        done = _save(form, change, _("参加枠を更新しました。"), event)
        if done is not None:
            return done
    return form_page("staff/events/frames/form.html", form, event=event, frame=frame)


def _on_frames_page(event: Event, action: Callable[[int], str]):
    """A button of the list page: its message, or the rule's refusal (nothing changed)."""
    with refusals() as outcome:
        flash(action(form_version(request.form.get("version"))), "success")
    return redirect(
        url_for("staff_frames.index", event_id=event.id), 303 if outcome.refused else 302
    )


@bp.post("/<int:event_id>/frames/<int:frame_id>/move")
@staff_required
def move(event_id: int, frame_id: int):
    event = _event(event_id)
    frame = frame_of(event, frame_id)
    step = -1 if request.form.get("direction") == "up" else 1

    def move_it(version: int) -> str:
        move_frame(frame, step, current_user, now_utc(), version)
        return _("「%(name)s」の表示順を変更しました。", name=frame.name)

    return _on_frames_page(event, move_it)


@bp.post("/<int:event_id>/frames/<int:frame_id>/close")
@staff_required
def close(event_id: int, frame_id: int):
    event = _event(event_id)
    frame = frame_of(event, frame_id)

    def close_it(version: int) -> str:
        close_frame(frame, current_user, now_utc(), version)
        return _(
            "「%(name)s」の受付を締め切りました。お申し込み済みの方はそのままです。",
            name=frame.name,
        )

    return _on_frames_page(event, close_it)


@bp.post("/<int:event_id>/frames/<int:frame_id>/reopen")
@staff_required
def reopen(event_id: int, frame_id: int):
    event = _event(event_id)
    frame = frame_of(event, frame_id)

    def reopen_it(version: int) -> str:
        reopen_frame(frame, current_user, now_utc(), version)
        return _("「%(name)s」の受付を再開しました。", name=frame.name)

    return _on_frames_page(event, reopen_it)


@bp.post("/<int:event_id>/frames/<int:frame_id>/delete")
@staff_required
def delete(event_id: int, frame_id: int):
    event = _event(event_id)
    frame = frame_of(event, frame_id)
    name = frame.name

    def delete_it(version: int) -> str:
        delete_frame(frame, current_user, now_utc(), version)
        return _("参加枠「%(name)s」を削除しました。", name=name)

    return _on_frames_page(event, delete_it)
