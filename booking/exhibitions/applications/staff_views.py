"""Staff review of exhibitor applications (/staff/exhibitions/<id>/applications): the list
with counts and filters, accept / waitlist / reject with a note, and recording an
application for a company."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.exhibitions.applications.forms import DecisionForm, StaffApplicationForm
from booking.exhibitions.applications.review import (
    get_application,
    list_applications,
    review_application,
    status_counts,
)
from booking.exhibitions.applications.services import (
    apply_for_exhibition,
    company_by_member_no,
    section_choices,
)
from booking.exhibitions.booths.services import set_booth_limit
from booking.exhibitions.models import APPLICATION_STATUSES
from booking.exhibitions.staff.access import managed_exhibition
from booking.refusals import form_page, refusals
from booking.staff.access import staff_required
from booking.storable import db_int
from booking.timefmt import now_utc

bp = Blueprint("applications", __name__, url_prefix="/<int:exhibition_id>/applications")


@bp.get("/")
@staff_required
def index(exhibition_id: int):
    exhibition = managed_exhibition(exhibition_id)
    status = request.args.get("status", "")
    status = status if status in APPLICATION_STATUSES else ""
    category = request.args.get("category", type=db_int)
    return render_template(
        "exhibitions/staff/applications.html", exhibition=exhibition,
        applications=list_applications(exhibition.id, status, category),
        counts=status_counts(exhibition.id), status=status, category=category,
        sections=section_choices(), statuses=APPLICATION_STATUSES, form=DecisionForm(),
    )  # fmt: skip


def _back(exhibition_id: int, **args):
    return url_for("staff_exhibitions.applications.index", exhibition_id=exhibition_id, **args)


@bp.post("/<int:exhibitor_id>/decide")
@staff_required
def decide(exhibition_id: int, exhibitor_id: int):
    exhibition = managed_exhibition(exhibition_id)
    exhibitor = get_application(exhibition, exhibitor_id)
    form = DecisionForm()
    decision = request.form.get("decision", "")
    if not form.validate_on_submit():
        flash(_("メモは2000文字以内で入力してください。"), "error")
        return redirect(_back(exhibition.id), 303)
    with refusals(quiet=True) as attempt:
        review_application(exhibitor, decision, current_user, form.note.data or "", now_utc())
    if attempt.refused:
        flash(f"{exhibitor.name}: {attempt.refused.message}", "error")
        return redirect(_back(exhibition.id), 303)
    messages = {
        "accept": _("%(name)s の出展を承認しました。", name=exhibitor.name),
        "waitlist": _("%(name)s を補欠にしました。", name=exhibitor.name),
        "reject": _("%(name)s の出展を見送りました。", name=exhibitor.name),
    }
    flash(messages[decision] + " " + _("通知メールを送ります。"), "success")
    return redirect(_back(exhibition.id, status=request.args.get("status") or None))


@bp.post("/<int:exhibitor_id>/booth-limit")
@staff_required
def booth_limit(exhibition_id: int, exhibitor_id: int):
    exhibition = managed_exhibition(exhibition_id)
    exhibitor = get_application(exhibition, exhibitor_id)
    with refusals():
        set_booth_limit(exhibitor, request.form.get("booth_limit", type=db_int, default=-1))
        flash(_("%(name)s の小間数の上限を変更しました。", name=exhibitor.name), "success")
        return redirect(_back(exhibition.id))
    return redirect(_back(exhibition.id), 303)


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new(exhibition_id: int):
    """Record an application received on paper or by phone (the window does not apply)."""
    exhibition = managed_exhibition(exhibition_id)
    form = StaffApplicationForm()
    form.fill_choices()
    if form.validate_on_submit():
        with refusals(form) as attempt:
            company = company_by_member_no(form.member_no.data)
            apply_for_exhibition(
                exhibition, current_user, form.to_input(), now_utc(), company=company
            )
            flash(_("%(name)s の出展申込を登録しました。", name=company.name), "success")
            return redirect(_back(exhibition.id))
        if attempt.refused.status == 409:
            page = render_template(
                "exhibitions/staff/application_form.html", exhibition=exhibition, form=form
            )
            return page, 409
    return form_page("exhibitions/staff/application_form.html", form, exhibition=exhibition)
