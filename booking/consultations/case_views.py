"""Desk pages of support cases (伴走支援): open or join one from a consultation, a case page
listing its consultations with status and outcome, the list, and the yearly report with CSV."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from booking.consultations.case_report import case_report, fiscal_year_of, report_table
from booking.consultations.cases import (
    OUTCOME_NAMES,
    STATUS_NAMES,
    attach_to_case,
    cases_for,
    update_case,
    visible_case,
)
from booking.consultations.desk_views import desk_required
from booking.consultations.models import CASE_OUTCOMES, CASE_STATUSES, Consultation
from booking.csvexport import csv_response
from booking.errors import NotFound
from booking.extensions import db
from booking.refusals import form_page, refusals
from booking.storable import db_int_or_none
from booking.timefmt import now_utc, to_local

bp = Blueprint("cases", __name__, url_prefix="/consultations/desk/cases")


class CaseForm(FlaskForm):
    status = SelectField(
        _l("状況"), choices=[SelectChoice(s, STATUS_NAMES[s]) for s in CASE_STATUSES]
    )
    outcome = SelectField(
        _l("成果"), choices=[SelectChoice(o, OUTCOME_NAMES[o]) for o in CASE_OUTCOMES]
    )
    note = TextAreaField(_l("支援メモ（職員・相談員のみ）"), validators=[Length(max=4000)])


def _case_or_404(case_id: int):
    try:
        return visible_case(current_user, case_id)
    except NotFound:
        abort(404)


@bp.get("/")
@desk_required()
def index():
    return render_template("consultations/cases/index.html", cases=cases_for(current_user),
                           status_names=STATUS_NAMES, outcome_names=OUTCOME_NAMES)  # fmt: skip


@bp.post("/from/<int:consultation_id>")
@desk_required()
def attach(consultation_id: int):
    """From a consultation's record: open a case (`case=new`) or join an open one."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        abort(404)
    choice = request.form.get("case", "new")
    with refusals():
        try:
            case = attach_to_case(consultation, current_user,
                                  None if choice == "new" else db_int_or_none(choice) or -1,
                                  now_utc())  # fmt: skip
        except NotFound:
            abort(404)
        flash(_("支援案件に追加しました。"), "success")
        return redirect(url_for("cases.detail", case_id=case.id))
    return redirect(url_for("consultations.detail", consultation_id=consultation.id))


@bp.route("/<int:case_id>", methods=["GET", "POST"])
@desk_required()
def detail(case_id: int):
    case = _case_or_404(case_id)
    form = CaseForm(obj=case)
    if form.validate_on_submit():
        with refusals(form):
            update_case(case, current_user, status=form.status.data, outcome=form.outcome.data,
                        note=form.note.data or "", now=now_utc())  # fmt: skip
            flash(_("支援案件を更新しました。"), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    return form_page("consultations/cases/detail.html", form, case=case,
                     status_names=STATUS_NAMES, outcome_names=OUTCOME_NAMES)  # fmt: skip


def _year() -> int:
    this_year = fiscal_year_of(to_local(now_utc()).date())
    year = request.args.get("year", type=int)
    return year if year is not None and 2000 <= year <= this_year + 1 else this_year


@bp.get("/report")
@desk_required(staff_only=True)
def report():
    year = _year()
    this_year = fiscal_year_of(to_local(now_utc()).date())
    return render_template(
        "consultations/cases/report.html", report=case_report(current_user, year), year=year,
        years=range(this_year, this_year - 5, -1), outcomes=CASE_OUTCOMES,
        outcome_names=OUTCOME_NAMES, status_names=STATUS_NAMES, statuses=CASE_STATUSES,
    )  # fmt: skip


@bp.get("/report.csv")
@desk_required(staff_only=True)
def report_csv():
    year = _year()
    header, rows = report_table(case_report(current_user, year))
    return csv_response(header, rows, f"support-cases-FY{year}.csv")
