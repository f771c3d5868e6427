"""The company pages of My Page (/mypage/company/…) for company administrators, and the
invitation link (/company/join/<token>) for the people they invite.

Who may see what is `booking.companies.policy`: anyone but an administrator of the company
concerned gets 404, as do other companies' people and registrations.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from wtforms.fields.choices import SelectChoice

from booking.accounts.models import User
from booking.accounts.search import people_of
from booking.accounts.services import PersonDetails, user_by_email
from booking.companies.admins import appoint_admin
from booking.companies.forms import (
    NEW_PERSON,
    ActionForm,
    ColleagueForm,
    HandOverForm,
    InviteForm,
    JoinForm,
)
from booking.companies.handover import hand_over_seat
from booking.companies.invitations import (
    Invitee,
    accept_as_new_person,
    accept_invitation,
    invitation_for,
    invite_colleague,
    join_refusal,
)
from booking.companies.policy import is_colleague, is_company_admin, may_hand_over
from booking.companies.proxy import register_colleague
from booking.companies.roster import company_view
from booking.errors import NotFound
from booking.events.catalogue import get_visible_event
from booking.events.company_limits import CompanyLimit, event_limit_refusal
from booking.events.forms import answers_from, registration_form
from booking.events.models import Registration
from booking.extensions import db
from booking.refusals import form_page, refusals
from booking.storable import db_int_or_none
from booking.timefmt import now_utc

bp = Blueprint("company", __name__)


def _admin_only() -> None:
    if not is_company_admin(current_user):
        abort(404)


def _colleague_choices(exclude: int | None = None) -> list[SelectChoice]:
    people = [p for p in people_of(current_user.company)
              if is_colleague(current_user, p) and p.id != exclude]  # fmt: skip
    return [SelectChoice(str(p.id), f"{p.full_name}（{p.full_kana}）" if p.full_kana
                         else p.full_name) for p in people]  # fmt: skip


@bp.get("/mypage/company/people")
@login_required
def people():
    """The company's people and their bookings, the no-show record, the invitation form."""
    _admin_only()
    now = now_utc()
    view = company_view(current_user.company, now)
    return render_template("companies/people.html", view=view, action_form=ActionForm(),
                           invite_form=InviteForm(formdata=None), now=now)  # fmt: skip


@bp.post("/mypage/company/people/<int:user_id>/admin")
@login_required
def appoint(user_id: int):
    """Name a colleague an administrator of the company too."""
    _admin_only()
    person = db.session.get(User, user_id)
    if person is None or not is_colleague(current_user, person):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    with refusals():
        appoint_admin(person, current_user, now_utc())
        flash(_("%(name)s様を会社の担当者にしました。", name=person.full_name), "success")
    return redirect(url_for("company.people"))


@bp.route("/mypage/company/invite", methods=["GET", "POST"])
@login_required
def invite():
    """Invite a colleague to join the company (a one-time link by mail)."""
    _admin_only()
    form = InviteForm()
    if form.validate_on_submit():
        invitee = Invitee(form.email.data, form.family_name.data, form.given_name.data,
                          form.family_kana.data, form.given_kana.data)  # fmt: skip
        with refusals(form):
            invite_colleague(current_user, invitee, now_utc())
            flash(_("%(email)s に招待メールをお送りしました。", email=invitee.email), "success")
            return redirect(url_for("company.people"))
    return form_page("companies/invite.html", form)


@bp.route("/mypage/company/events/<int:event_id>/register", methods=["GET", "POST"])
@login_required
def register(event_id: int):
    """Register a colleague (or a new person of the company) for an event."""
    _admin_only()
    try:
        event = get_visible_event(event_id, current_user)
    except NotFound:
        abort(404)
    if event.status != "published":
        abort(404)
    now = now_utc()
    posted = request.form if request.method == "POST" else None
    form = registration_form(event, current_user, now, posted)
    who = ColleagueForm(formdata=posted)
    who.colleague.choices = [SelectChoice("", _("選んでください")),
                             *_colleague_choices(exclude=current_user.id),
                             SelectChoice(NEW_PERSON, _("新しい方を登録する"))]  # fmt: skip
    limit = event_limit_refusal(event, current_user.company_id)
    error = CompanyLimit(limit) if limit else None  # headed as a refusal above the form
    if request.method == "POST" and form.validate() & who.validate():
        attestation = bool(getattr(form, "attestation", None) and form.attestation.data)
        new = who.colleague.data == NEW_PERSON
        invitee = Invitee(who.email.data, who.family_name.data, who.given_name.data,
                          who.family_kana.data, who.given_kana.data) if new else None  # fmt: skip
        with refusals(quiet=True) as outcome:
            reg = register_colleague(
                current_user, event.id, int(form.frame.data), now,
                colleague_id=None if new else db_int_or_none(who.colleague.data),
                invitee=invitee, answers=answers_from(form, event), attestation=attestation,
            )  # fmt: skip
            flash(_("%(name)s様のお申し込みを受け付けました（受付番号 %(ref)s）。ご本人にメールでお知らせしました。",
                    name=reg.user.full_name, ref=reg.reference), "success")  # fmt: skip
            return redirect(url_for("company.people"))
        exc = outcome.refused
        name = exc.field or ""
        target = (getattr(form, name, None) or getattr(who, name, None)) if name else None
        if target is not None:
            target.errors = [*target.errors, exc.message]
        else:
            error = exc  # shown above the form; a conflict heads it as a refusal
    status = 422 if request.method == "POST" else 200
    return render_template("companies/register.html", event=event, form=form, who=who,
                           error=error), status  # fmt: skip


def _registration(reg_id: int) -> Registration:
    reg = db.session.get(Registration, reg_id)
    if reg is None or not may_hand_over(current_user, reg) or current_user.company is None:
        abort(404)
    return reg


@bp.route("/mypage/company/registrations/<int:reg_id>/hand-over", methods=["GET", "POST"])
@login_required
def hand_over(reg_id: int):
    """Hand a confirmed seat to a colleague (same frame, no waitlist)."""
    reg = _registration(reg_id)
    form = HandOverForm()
    form.colleague.choices = [SelectChoice("", _("選んでください")),
                              *_colleague_choices(exclude=reg.user_id)]  # fmt: skip
    if form.validate_on_submit():
        to_user = db.session.get(User, db_int_or_none(form.colleague.data) or 0)
        with refusals(form):
            new = hand_over_seat(reg, to_user, current_user, now_utc(), form.attestation.data)
            flash(_("お席を%(name)s様にお譲りしました。お二人にメールでお知らせしました。",
                    name=new.user.full_name), "success")  # fmt: skip
            if is_company_admin(current_user):
                return redirect(url_for("company.people"))
            return redirect(url_for("mypage.index"))
    return form_page("companies/hand_over.html", form, reg=reg, event=reg.event)


@bp.route("/company/join/<token>", methods=["GET", "POST"])
def join(token: str):
    """The invitation link: join the company signed in, or create the account first."""
    now = now_utc()
    invitation = invitation_for(token, now)
    if invitation is None:
        return render_template("companies/join_invalid.html"), 404
    if current_user.is_authenticated:
        form = ActionForm()
        refusal = join_refusal(current_user, invitation)
        if form.validate_on_submit() and refusal is None:
            with refusals():
                accept_invitation(token, current_user, now)
                flash(_("%(company)sに参加しました。", company=invitation.company.name),
                      "success")  # fmt: skip
                return redirect(url_for("mypage.index"))
        return render_template("companies/join.html", invitation=invitation, form=form,
                               refusal=refusal), (422 if refusal and request.method == "POST"
                                                  else 200)  # fmt: skip
    form = JoinForm(formdata=request.form if request.method == "POST" else None,
                    data={"family_name": invitation.family_name,
                          "given_name": invitation.given_name,
                          "family_kana": invitation.family_kana,
                          "given_kana": invitation.given_kana})  # fmt: skip
    if request.method == "POST" and form.validate():
        details = PersonDetails(form.family_name.data, form.given_name.data,
                                form.family_kana.data, form.given_kana.data)  # fmt: skip
        with refusals(form):
            user = accept_as_new_person(token, details, form.password.data, now)
            db.session.flush()
            login_user(user)
            flash(_("%(company)sに参加しました。", company=invitation.company.name), "success")
            return redirect(url_for("mypage.index"))
    owner = user_by_email(invitation.email)
    return form_page("companies/join.html", form, invitation=invitation, refusal=None,
                     sign_in_first=owner is not None and bool(owner.password_hash))  # fmt: skip
