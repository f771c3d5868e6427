"""My Page shell and profile; bookings and passes are filled in by their domains."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from booking.accounts.forms import ProfileForm
from booking.accounts.services import PersonDetails, update_profile
from booking.events.services import my_registrations
from booking.extensions import db
from booking.timefmt import now_utc

bp = Blueprint("mypage", __name__, url_prefix="/mypage")


@bp.get("/")
@login_required
def index():
    upcoming, past = my_registrations(current_user, now_utc())
    return render_template("mypage/index.html", event_upcoming=upcoming, event_past=past)


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
        db.session.commit()
        flash(_("プロフィールを更新しました。"), "success")
        return redirect(url_for("mypage.profile"))
    return render_template("mypage/profile.html", form=form), (422 if form.errors else 200)
