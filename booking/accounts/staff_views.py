"""Staff pages for accounts and companies (/staff/accounts): search, a person's and a
company's page, role and unit, deactivation, the account mail again, merging a guest account.

Who may do what is `booking.accounts.policy`; the rules are in `changes` and `merge`.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from booking.accounts import policy
from booking.accounts.changes import (
    account_mail_due,
    change_role_and_unit,
    changes_of,
    resend_account_mail,
    set_active,
)
from booking.accounts.merge import check_merge, merge_guest_into_member, merge_plan
from booking.accounts.models import Company, User
from booking.accounts.search import (
    bookings_of,
    consultation_no_shows,
    event_no_shows,
    people_of,
    search_companies,
    search_people,
)
from booking.accounts.staff_forms import (
    ROLE_LABELS,
    UNIT_KIND_LABELS,
    ActionForm,
    MergeForm,
    RoleUnitForm,
)
from booking.errors import DomainError
from booking.events.audit import audit_for_user
from booking.events.passes import company_no_shows
from booking.extensions import db
from booking.org.models import Unit
from booking.org.policy import can_manage
from booking.refusals import refusals
from booking.staff.access import staff_required
from booking.storable import db_int, db_int_or_none
from booking.timefmt import now_utc

bp = Blueprint("staff_accounts", __name__, url_prefix="/staff/accounts")

MAX_QUERY = 100


@bp.context_processor
def _labels():
    return {"role_labels": ROLE_LABELS, "unit_kind_labels": UNIT_KIND_LABELS,
            "account_policy": policy}  # fmt: skip


def _query() -> str:
    return (request.args.get("q") or "").strip()[:MAX_QUERY]


def _page() -> int:
    return request.args.get("page", 1, type=db_int) or 1


@bp.get("/")
@staff_required
def index():
    """Search people and companies; paged, furigana order."""
    q = _query()
    kind = "companies" if request.args.get("kind") == "companies" else "people"
    people = search_people(q, _page() if kind == "people" else 1)
    companies = search_companies(q, _page() if kind == "companies" else 1)
    return render_template("accounts/staff/index.html", q=q, kind=kind, people=people,
                           companies=companies)  # fmt: skip


def _person(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None:
        abort(404)
    return person


def _units() -> list[Unit]:
    order = {k: i for i, k in enumerate(UNIT_KIND_LABELS)}
    units = db.session.scalars(select(Unit))
    return sorted(units, key=lambda u: (order.get(u.kind, 99), u.position, u.id))


def _staff_actions_on(person: User) -> list:
    """What staff did to the person's event bookings, for the events the viewer manages."""
    return [e for e in audit_for_user(person.id) if can_manage(current_user, e.event)]


def _person_page(person: User, role_form: RoleUnitForm | None = None, status: int = 200):
    now = now_utc()
    bookings = bookings_of([person.id])
    if role_form is None:
        role_form = RoleUnitForm(
            formdata=None, role=person.role, unit=str(person.unit_id or "")
        ).fill(_units())
    return render_template(
        "accounts/staff/person.html", person=person, bookings=bookings,
        no_shows=event_no_shows(bookings.registrations, now),
        consultation_no_shows=consultation_no_shows(bookings.consultations),
        company_no_shows=(company_no_shows([person.company_id], now).get(person.company_id, 0)
                          if person.company_id else None),
        changes=changes_of(person), staff_actions=_staff_actions_on(person),
        role_form=role_form, action_form=ActionForm(),
        mail_due=account_mail_due(person), unit_names={u.key: u.name for u in _units()},
    ), status  # fmt: skip


@bp.get("/people/<int:user_id>")
@staff_required
def person(user_id: int):
    return _person_page(_person(user_id))


@bp.post("/people/<int:user_id>/role")
@staff_required
def change_role(user_id: int):
    """Admins only: role and unit (admins assign staff to units). Staff get 403."""
    person = _person(user_id)
    if not policy.may_change_role_and_unit(current_user):
        abort(403)
    form = RoleUnitForm().fill(_units())
    if form.validate_on_submit():
        unit_id = db_int_or_none(form.unit.data)
        unit = db.session.get(Unit, unit_id) if unit_id else None
        with refusals(form):
            if change_role_and_unit(person, form.role.data, unit, current_user, now_utc()):
                flash(_("権限と所属を変更しました。"), "success")
            else:
                flash(_("変更はありませんでした。"), "info")
            return redirect(url_for("staff_accounts.person", user_id=person.id))
    return _person_page(person, form, 422)


def _action(user_id: int, action) -> object:
    """A one-button change: CSRF-checked, refused with a flash, back to the person's page."""
    person = _person(user_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    with refusals(quiet=True) as refused:
        message = action(person)
        flash(message, "success")
        return redirect(url_for("staff_accounts.person", user_id=person.id))
    if refused.refused.status == 403:
        abort(403)
    flash(str(refused.refused.message), "error")
    return _person_page(person, status=refused.refused.status)


@bp.post("/people/<int:user_id>/deactivate")
@staff_required
def deactivate(user_id: int):
    def act(person):
        set_active(person, False, current_user, now_utc())
        return _("アカウントを停止しました。このアカウントではログインできません。")

    return _action(user_id, act)


@bp.post("/people/<int:user_id>/reactivate")
@staff_required
def reactivate(user_id: int):
    def act(person):
        set_active(person, True, current_user, now_utc())
        return _("アカウントの利用を再開しました。")

    return _action(user_id, act)


@bp.post("/people/<int:user_id>/resend")
@staff_required
def resend(user_id: int):
    def act(person):
        sent = resend_account_mail(person, current_user, now_utc())
        if sent == "confirm":
            return _("確認メールを再送しました。")
        return _("招待メール（パスワード設定のご案内）を再送しました。")

    return _action(user_id, act)


def _guest(user_id: int) -> User:
    """The guest account to merge; 404 for anything else (and for staff who may not merge)."""
    guest = _person(user_id)
    if guest.role != "guest" or not policy.may_merge(current_user):
        abort(404)
    return guest


@bp.route("/people/<int:user_id>/merge", methods=["GET", "POST"])
@staff_required
def merge(user_id: int):
    """Choose the member account (search), see what moves and what stops it, confirm."""
    guest = _guest(user_id)
    form = MergeForm()
    chosen_id = db_int_or_none(form.into.data if request.method == "POST" else
                               request.args.get("into"))  # fmt: skip
    member = db.session.get(User, chosen_id) if chosen_id else None
    problem, plan = None, None
    if request.method == "POST" and form.validate_on_submit():
        if member is None:
            problem = _("統合先のアカウントが見つかりません。")
        else:
            with refusals(quiet=True) as refused:
                merge_guest_into_member(guest, member, current_user, now_utc())
                flash(_("ゲストアカウントを会員アカウントに統合しました。"), "success")
                return redirect(url_for("staff_accounts.person", user_id=member.id))
            problem = str(refused.refused.message)
    elif request.method == "POST":
        problem = _("統合先を選んでください。")
    if member is not None:
        try:
            check_merge(guest, member)
        except DomainError as exc:
            problem = problem or str(exc.message)
        else:
            plan = merge_plan(guest, member)
        form.into.data = str(member.id)
    q = _query()
    candidates = search_people(q, _page(), active_role="member") if q else None
    status = 422 if problem and request.method == "POST" else 200
    return render_template(
        "accounts/staff/merge.html", guest=guest, member=member, plan=plan, form=form,
        problem=problem, q=q, candidates=candidates,
    ), status  # fmt: skip


@bp.get("/companies/<int:company_id>")
@staff_required
def company(company_id: int):
    company = db.session.get(Company, company_id)
    if company is None:
        abort(404)
    now = now_utc()
    people = people_of(company)
    bookings = bookings_of([p.id for p in people])
    return render_template(
        "accounts/staff/company.html", company=company, people=people, bookings=bookings,
        no_shows=company_no_shows([company.id], now).get(company.id, 0),
        consultation_no_shows=consultation_no_shows(bookings.consultations), now=now,
    )  # fmt: skip
