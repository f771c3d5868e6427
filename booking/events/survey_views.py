"""The survey page of an attendee (/events/<id>/survey): the questions, then thanks. Anybody
else (not signed up, not attended, no survey) gets 404."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from booking.events.survey_forms import survey_form
from booking.events.surveys import (
    answerable_registration,
    has_answered,
    questions_of,
    submit_answers,
)
from booking.refusals import form_page, refusals
from booking.timefmt import now_utc

bp = Blueprint("event_survey", __name__)


@bp.route("/events/<int:event_id>/survey", methods=["GET", "POST"])
@login_required
def survey(event_id: int):
    reg = answerable_registration(event_id, current_user, now_utc())
    event = reg.event
    if has_answered(reg):
        return render_template("events/survey_done.html", event=event)
    questions = questions_of(event.id)
    form = survey_form(questions, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        with refusals(form):
            submit_answers(reg, {q.key: form[q.key].data for q in questions}, now_utc())
            return redirect(url_for("event_survey.survey", event_id=event.id, done=1))
    return form_page("events/survey.html", form, event=event, questions=questions)
