"""My Page shell and profile; bookings and passes are filled in by their domains."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from booking.accounts.forms import CompanyInterestsForm, ProfileForm
from booking.accounts.services import PersonDetails, set_company_interests, update_profile
from booking.errors import NotFound
from booking.events.policy import has_pass
from booking.events.recommendations import recommended_events
from booking.events.registrations import get_own_registration
from booking.localnames import localized
from booking.mypage.timeline import timeline
from booking.org.services import units_of_kind
from booking.refusals import form_page
from booking.timefmt import now_utc

bp = Blueprint("mypage", __name__, url_prefix="/mypage")


@bp.get("/")
@login_required
def index():
    """One timeline of the person's bookings of every kind: upcoming, then history."""
    now = now_utc()
    upcoming, history = timeline(current_user, now)
    return render_template(
        "mypage/index.html", upcoming=upcoming, history=history,
        recommendations=recommended_events(current_user, now),
    )  # fmt: skip


@bp.get("/passes/<int:reg_id>")
@login_required
def event_pass(reg_id: int):
    """The QR pass of one's own registration, alone on the page: to show at the door or to
    print (A4, or cut out at wallet size)."""
    try:
        reg = get_own_registration(reg_id, current_user)
    except NotFound:
        abort(404)
    if reg.user_id != current_user.id or not has_pass(reg):
        abort(404)
    return render_template("mypage/pass.html", reg=reg, event=reg.event)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        details = PersonDetails(
            form.family_name.data, form.given_name.data, form.family_kana.data,
            form.given_kana.data, form.phone.data,
        )  # fmt: skip
        update_profile(current_user, details, form.locale.data)
        flash(_("プロフィールを更新しました。"), "success")
        return redirect(url_for("mypage.profile"))
    return form_page("mypage/profile.html", form)


@bp.route("/company", methods=["GET", "POST"])
@login_required
def company():
    """The company's profile and its sections of interest."""
    if current_user.company is None:
        abort(404)
    form = CompanyInterestsForm()
    form.interests.choices = [SelectChoice(u.slug, localized(u)) for u in units_of_kind("section")]
    if request.method == "GET":
        form.interests.data = [u.slug for u in current_user.company.interests]
    if form.validate_on_submit():
        set_company_interests(current_user, form.interests.data or [])
        flash(_("関心のある分野を保存しました。"), "success")
        return redirect(url_for("mypage.company"))
    return form_page("mypage/company.html", form, company=current_user.company)
