"""Exhibitor applications, the applicant's side: apply, see the status, withdraw."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from booking.errors import DomainError, NotFound
from booking.exhibitions.applications.forms import ApplicationForm
from booking.exhibitions.applications.services import (
    application_of_company,
    apply_for_exhibition,
    check_can_apply,
    window_state,
    withdraw_application,
)
from booking.exhibitions.lookup import get_exhibition
from booking.main.forms import apply_domain_error
from booking.refusals import form_page, refusals
from booking.timefmt import now_utc

bp = Blueprint("exhibit_apply", __name__, url_prefix="/exhibitions")


def _refused(exhibition, exc: DomainError):
    existing = None
    if exc.code == "already_applied":
        existing = url_for("exhibit_apply.application", exhibition_id=exhibition.id)
    return render_template(
        "exhibitions/apply_refused.html", exhibition=exhibition, message=exc.message,
        existing=existing,
    ), exc.status  # fmt: skip


@bp.route("/<int:exhibition_id>/apply", methods=["GET", "POST"])
@login_required
def apply(exhibition_id: int):
    exhibition = get_exhibition(exhibition_id)
    now = now_utc()
    try:
        check_can_apply(exhibition, current_user, now)
    except DomainError as exc:
        return _refused(exhibition, exc)
    form = ApplicationForm()
    form.fill_choices()
    if request.method == "GET":
        form.fill_from_user(current_user)
    if form.validate_on_submit():
        with refusals(quiet=True) as attempt:
            apply_for_exhibition(exhibition, current_user, form.to_input(), now)
            flash(_("出展申込を受け付けました。審査の結果はメールでお知らせします。"), "success")
            return redirect(url_for("exhibit_apply.application", exhibition_id=exhibition.id))
        if attempt.refused.status != 422:
            return _refused(exhibition, attempt.refused)
        apply_domain_error(form, attempt.refused)
    return form_page("exhibitions/apply.html", form, exhibition=exhibition)


def _own_application(exhibition):
    exhibitor = application_of_company(exhibition, current_user.company_id)
    if exhibitor is None:
        raise NotFound()
    return exhibitor


@bp.get("/<int:exhibition_id>/application")
@login_required
def application(exhibition_id: int):
    exhibition = get_exhibition(exhibition_id)
    exhibitor = _own_application(exhibition)
    return render_template(
        "exhibitions/application.html", exhibition=exhibition, exhibitor=exhibitor,
        window=window_state(exhibition, now_utc()),
    )  # fmt: skip


@bp.route("/<int:exhibition_id>/application/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(exhibition_id: int):
    exhibition = get_exhibition(exhibition_id)
    exhibitor = _own_application(exhibition)
    if request.method == "POST":
        back = url_for("exhibit_apply.application", exhibition_id=exhibition.id)
        with refusals():
            withdraw_application(exhibitor, current_user, now_utc())
            flash(_("出展申込を取り下げました。"), "success")
            return redirect(back)
        return redirect(back, 303)
    return render_template("exhibitions/withdraw.html", exhibition=exhibition, exhibitor=exhibitor)
