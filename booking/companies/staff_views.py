"""Staff appoint and remove company administrators from the staff company page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.accounts.models import User
from booking.companies.admins import appoint_admin, remove_admin
from booking.companies.forms import ActionForm
from booking.extensions import db
from booking.refusals import refusals
from booking.staff.access import staff_required
from booking.timefmt import now_utc

bp = Blueprint("staff_company_admins", __name__, url_prefix="/staff/accounts/companies")


def _person(company_id: int, user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or person.company_id != company_id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    return person


@bp.post("/<int:company_id>/admins/<int:user_id>")
@staff_required
def appoint(company_id: int, user_id: int):
    person = _person(company_id, user_id)
    with refusals():
        appoint_admin(person, current_user, now_utc())
        flash(_("%(name)s様を会社の担当者にしました。", name=person.full_name), "success")
    return redirect(url_for("staff_accounts.company", company_id=company_id))


@bp.post("/<int:company_id>/admins/<int:user_id>/remove")
@staff_required
def remove(company_id: int, user_id: int):
    person = _person(company_id, user_id)
    with refusals():
        remove_admin(person, current_user, now_utc())
        flash(_("%(name)s様を会社の担当者から外しました。", name=person.full_name), "success")
    return redirect(url_for("staff_accounts.company", company_id=company_id))
