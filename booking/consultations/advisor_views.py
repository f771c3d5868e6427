"""Advisors run from pages: staff create and edit advisors of their unit (HQ and admins: all);
an advisor edits their own profile. Hours are edited on the desk's availability page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from booking.accounts.services import PersonDetails
from booking.consultations.advisor_admin import (
    AdvisorProfile,
    Assignment,
    advisors_of,
    apply_profile,
    create_advisor,
    set_advisor_active,
    update_advisor,
)
from booking.consultations.catalogue import advisor_for_user, channels, themes
from booking.consultations.catalogue_forms import AdvisorForm, AdvisorProfileForm
from booking.consultations.catalogue_views import managed_branches
from booking.consultations.models import Advisor
from booking.consultations.policy import may_manage_advisor, sees_all_units
from booking.extensions import db
from booking.refusals import form_page, refusals
from booking.staff.access import staff_required
from booking.timefmt import now_utc

bp = Blueprint("advisors", __name__, url_prefix="/staff/consultations/advisors")
own_bp = Blueprint("advisor_profile", __name__, url_prefix="/consultations/desk")


@bp.get("/")
@staff_required
def index():
    return render_template(
        "consultations/advisors/index.html",
        advisors=advisors_of(current_user, sees_all_units(current_user)),
    )


def _managed(advisor_id: int) -> Advisor:
    advisor = db.session.get(Advisor, advisor_id)
    if advisor is None or not may_manage_advisor(current_user, advisor):
        abort(404)
    return advisor


def _form(advisor: Advisor | None) -> AdvisorForm:
    """The form with the catalogue's choices; branch staff choose among their branches only."""
    form = AdvisorForm(obj=advisor)
    if advisor is not None and request.method == "GET":
        user = advisor.user
        form.email.data = user.email
        form.family_name.data, form.given_name.data = user.family_name, user.given_name
        form.family_kana.data, form.given_kana.data = user.family_kana, user.given_kana
        form.themes.data = [str(t.id) for t in advisor.themes]
        form.channels.data = [str(c.id) for c in advisor.channels]
        form.branches.data = [str(b.id) for b in advisor.branches]
    elif advisor is None and request.method == "GET":
        mine = managed_branches()
        if len(mine) == 1:
            form.branches.data = [str(mine[0].id)]
    return form.fill(themes(include_inactive=True), channels(include_inactive=True),
                     managed_branches())  # fmt: skip


def _details(form: AdvisorForm) -> PersonDetails:
    return PersonDetails(form.family_name.data or "", form.given_name.data or "",
                         form.family_kana.data or "", form.given_kana.data or "")  # fmt: skip


def _profile(form: AdvisorProfileForm) -> AdvisorProfile:
    return AdvisorProfile(form.title.data or "", form.bio.data or "", form.video_url.data or "")


def _assignment(form: AdvisorForm, advisor: Advisor | None) -> Assignment:
    """The chosen themes, channels and branches; branches the staff member does not manage
    stay as they were (branch staff never drop another branch from a shared advisor)."""
    by_id = lambda items, chosen: [i for i in items if str(i.id) in chosen]  # noqa: E731
    mine = managed_branches()
    kept = [b for b in (advisor.branches if advisor else []) if b not in mine]
    return Assignment(
        themes=by_id(themes(include_inactive=True), set(form.themes.data or [])),
        channels=by_id(channels(include_inactive=True), set(form.channels.data or [])),
        branches=kept + by_id(mine, set(form.branches.data or [])),
    )


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def create():
    """A new advisor: on an existing member's account, or a new account invited by mail."""
    form = _form(None)
    if form.validate_on_submit():
        with refusals(form):
            advisor = create_advisor(form.email.data, _details(form), _profile(form),
                                     _assignment(form, None), now_utc())  # fmt: skip
            flash(_("相談員「%(name)s」を登録しました。続けて受付時間を設定してください。",
                    name=advisor.name), "success")  # fmt: skip
            return redirect(url_for("desk.availability", advisor=advisor.id))
    return form_page("consultations/advisors/edit.html", form, advisor=None)


@bp.route("/<int:advisor_id>", methods=["GET", "POST"])
@staff_required
def edit(advisor_id: int):
    advisor = _managed(advisor_id)
    form = _form(advisor)
    form.keeps_other_branches = any(b not in managed_branches() for b in advisor.branches)
    form.email.render_kw = {**(form.email.render_kw or {}), "readonly": True}
    if form.validate_on_submit():
        with refusals(form):
            update_advisor(advisor, _details(form), _profile(form), _assignment(form, advisor))
            flash(_("相談員「%(name)s」を保存しました。", name=advisor.name), "success")
            return redirect(url_for("advisors.index"))
    return form_page("consultations/advisors/edit.html", form, advisor=advisor)


@bp.post("/<int:advisor_id>/active")
@staff_required
def active(advisor_id: int):
    """Deactivate (refused while bookings are ahead) or reactivate an advisor."""
    advisor = _managed(advisor_id)
    with refusals():
        set_advisor_active(advisor, request.form.get("active") == "1", now_utc())
        flash(_("相談員「%(name)s」の受付状態を変更しました。", name=advisor.name), "success")
    return redirect(url_for("advisors.edit", advisor_id=advisor.id))


@own_bp.route("/profile", methods=["GET", "POST"])
@login_required
def own_profile():
    """An advisor's own title, introduction and video room (others: 404)."""
    advisor = advisor_for_user(current_user)
    if advisor is None:
        abort(404)
    form = AdvisorProfileForm(obj=advisor)
    if form.validate_on_submit():
        with refusals(form):
            apply_profile(advisor, _profile(form))
            flash(_("プロフィールを保存しました。"), "success")
            return redirect(url_for("desk.schedule_view"))
    return form_page("consultations/advisors/profile.html", form, advisor=advisor)
