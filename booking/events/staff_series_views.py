"""Staff pages of a series' sessions (連続講座の開催回): add, move and cancel single sessions.

/staff/events/<id>/sessions… — the rules are in `events/series.py`; each change notifies
everyone registered and updates their calendars, as a change of the event's time does.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.errors import Invalid
from booking.events.models import Event
from booking.events.series import add_session, cancel_session, is_over, move_session, session_of
from booking.events.staff_forms import LOCAL, SessionForm
from booking.events.versions import StaleEdit, form_version
from booking.extensions import db
from booking.org.policy import can_manage
from booking.refusals import form_page, refusals
from booking.staff.access import staff_required
from booking.timefmt import now_utc, parse_local, to_local

bp = Blueprint("staff_series", __name__, url_prefix="/staff/events")


def _event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or not can_manage(current_user, event):
        abort(404)
    return event


def _aware(field):
    """A datetime-local value is the chamber's local time. :raises Invalid: out of range."""
    try:
        return parse_local(field.data.strftime(LOCAL))
    except ValueError:
        raise Invalid(_("日時を正しく入力してください。"), field=field.name) from None


def _local(value):
    return to_local(value).replace(tzinfo=None)


@bp.route("/<int:event_id>/sessions", methods=["GET", "POST"])
@staff_required
def index(event_id: int):
    """The sessions, each with its change and cancel buttons, and the form adding one."""
    event = _event(event_id)
    form = SessionForm()
    if request.method == "GET":
        form.version.data = str(event.version)
    if form.validate_on_submit():
        with refusals(form) as outcome:
            add_session(
                event, _aware(form.starts_at), _aware(form.ends_at), form.title.data,
                current_user, now_utc(), form_version(form.version.data),
            )  # fmt: skip
            flash(_("開催回を追加し、申込者にお知らせしました。"), "success")
            return redirect(url_for("staff_series.index", event_id=event.id))
        if isinstance(outcome.refused, StaleEdit):
            form.version.data = str(event.version)
    return form_page(
        "staff/events/frames/sessions.html", form, event=event, now=now_utc(), is_over=is_over
    )


@bp.route("/<int:event_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(event_id: int, session_id: int):
    """Move one session to a new time (or rename it)."""
    event = _event(event_id)
    session = session_of(event, session_id)
    form = SessionForm()
    if request.method == "GET":
        form.title.data = session.title
        form.starts_at.data, form.ends_at.data = _local(session.starts_at), _local(session.ends_at)
        form.version.data = str(event.version)
    if form.validate_on_submit():
        with refusals(form) as outcome:
            move_session(
                session, _aware(form.starts_at), _aware(form.ends_at), form.title.data,
                current_user, now_utc(), form_version(form.version.data),
            )  # fmt: skip
            flash(_("開催回の日時を変更し、申込者にお知らせしました。"), "success")
            return redirect(url_for("staff_series.index", event_id=event.id))
        if isinstance(outcome.refused, StaleEdit):
            form.version.data = str(event.version)
    return form_page("staff/events/frames/session_form.html", form, event=event, session=session)


@bp.post("/<int:event_id>/sessions/<int:session_id>/cancel")
@staff_required
def cancel(event_id: int, session_id: int):
    event = _event(event_id)
    session = session_of(event, session_id)
    with refusals() as outcome:
        cancel_session(session, current_user, now_utc(), form_version(request.form.get("version")))
        flash(_("開催回を中止し、申込者にお知らせしました。"), "success")
    return redirect(
        url_for("staff_series.index", event_id=event.id), 303 if outcome.refused else 302
    )
