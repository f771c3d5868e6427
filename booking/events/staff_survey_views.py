"""An event's survey in the back office (/staff/events/<id>/survey): its questions (add,
remove while nobody has answered), the answers as bars, and their CSV."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from booking.csvexport import csv_response
from booking.events.staff_pages import managed_event
from booking.events.survey_forms import SurveyQuestionForm, scale_choices
from booking.events.surveys import (
    add_question,
    question_of,
    questions_of,
    remove_question,
    response_count,
    summary,
    survey_table,
)
from booking.refusals import has_errors, refusals
from booking.staff.access import staff_required

bp = Blueprint("staff_survey", __name__, url_prefix="/staff/events")


def _page(event, form):
    return render_template(
        "staff/events/survey.html", event=event, form=form, questions=questions_of(event.id),
        answers=response_count(event.id), scale=scale_choices(),
    ), 422 if has_errors(form) else 200  # fmt: skip


@bp.route("/<int:event_id>/survey", methods=["GET", "POST"])
@staff_required
def edit(event_id: int):
    event = managed_event(event_id)
    form = SurveyQuestionForm()
    if form.validate_on_submit():
        with refusals(form):
            add_question(event, form.label.data, form.kind.data,
                         (form.choices.data or "").splitlines(), form.required.data)  # fmt: skip
            flash(_("質問を追加しました。"), "success")
            return redirect(url_for("staff_survey.edit", event_id=event.id))
    return _page(event, form)


@bp.post("/<int:event_id>/survey/questions/<int:question_id>/delete")
@staff_required
def delete(event_id: int, question_id: int):
    event = managed_event(event_id)
    question = question_of(event, question_id)
    with refusals():
        remove_question(event, question)
        flash(_("質問を削除しました。"), "success")
    return redirect(url_for("staff_survey.edit", event_id=event.id))


@bp.get("/<int:event_id>/survey/results")
@staff_required
def results(event_id: int):
    event = managed_event(event_id)
    total, items = summary(event)
    return render_template("staff/events/survey_results.html", event=event, total=total,
                           items=items)  # fmt: skip


@bp.get("/<int:event_id>/survey.csv")
@staff_required
def results_csv(event_id: int):
    event = managed_event(event_id)
    header, rows = survey_table(event)
    return csv_response(header, rows, f"survey-{event.id}.csv")
