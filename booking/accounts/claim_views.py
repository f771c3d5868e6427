"""Verified membership pages: the person's claim (/account/membership) and staff's pending
claims (/staff/accounts/claims). The rules are `booking.accounts.claims`."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from booking.accounts import claims
from booking.accounts.claim_forms import ClaimForm, DecisionForm
from booking.errors import NotFound
from booking.main.forms import safe_next
from booking.refusals import form_page, refusals
from booking.staff.access import staff_required
from booking.timefmt import now_utc
from booking.unit_of_work import keep_changes

bp = Blueprint("membership", __name__, url_prefix="/account/membership")
staff_bp = Blueprint("staff_claims", __name__, url_prefix="/staff/accounts/claims")
# One answer whichever part was wrong: the number, the fact, or both.
WRONG_CLAIM = _l(
    "会員番号と、電話番号または郵便番号の組み合わせを確認できませんでした。入力内容をご確認ください。"
)


def _claim_page(form: ClaimForm):
    now = now_utc()
    return form_page(
        "accounts/membership.html", form, may_claim=claims.may_claim(current_user),
        locked_until=claims.locked_until(current_user, now), my_claims=claims.claims_of(current_user),
        pending=claims.pending_claim_of(current_user), next=safe_next(request.args.get("next")),
    )  # fmt: skip


@bp.route("", methods=["GET", "POST"])
@login_required
def claim():
    """会員番号 + the company's phone or postal code: joined, pending for staff, or wrong."""
    form = ClaimForm()
    if form.validate_on_submit():
        with refusals(form):
            claim = claims.claim_membership(
                current_user, form.member_no.data, form.fact.data, now_utc()
            )
            if claim.outcome == "wrong":
                keep_changes()  # the failure counts toward the lock although the answer refuses
                form.form_errors.append(WRONG_CLAIM)
                return _claim_page(form)
            if claim.outcome == "joined":
                flash(_("%(company)sの会員として確認しました。会員向けの参加枠・会員価格でお申し込みいただけます。",
                        company=claim.company.name), "success")  # fmt: skip
                return redirect(safe_next(request.args.get("next")) or url_for("mypage.index"))
            flash(
                _("申請を受け付けました。事務局が確認のうえ、結果をメールでお知らせします。"),
                "info",
            )
            return redirect(url_for("membership.claim"))
    return _claim_page(form)


@staff_bp.get("/")
@staff_required
def index():
    return render_template(
        "accounts/staff/claims.html", pending=claims.claims_by_outcome("pending"),
        decided=sorted(claims.claims_by_outcome("approved", 20) + claims.claims_by_outcome("refused", 20),
                       key=lambda c: c.decided_at, reverse=True),
    )  # fmt: skip


def _claim_or_404(claim_id: int):
    try:
        return claims.claim_for_staff(claim_id, current_user)
    except NotFound:
        abort(404)


def _detail(claim, form: DecisionForm | None = None):
    form = form or DecisionForm(formdata=None)
    return form_page(
        "accounts/staff/claim.html", form, claim=claim,
        on_file=claims.fact_on_file(claim.company, claim.fact_kind) if claim.company else "",
    )  # fmt: skip


@staff_bp.get("/<int:claim_id>")
@staff_required
def detail(claim_id: int):
    return _detail(_claim_or_404(claim_id))


@staff_bp.post("/<int:claim_id>/<any(approve, refuse):decision>")
@staff_required
def decide(claim_id: int, decision: str):
    claim = _claim_or_404(claim_id)
    form = DecisionForm()
    if form.validate_on_submit():
        act = claims.approve_claim if decision == "approve" else claims.refuse_claim
        with refusals(form):
            act(claim, current_user, form.note.data or "", now_utc())
            flash(_("申請を承認し、会員として登録しました。") if decision == "approve"
                  else _("申請をお断りし、ご本人にお知らせしました。"), "success")  # fmt: skip
            return redirect(url_for("staff_claims.index"))
    return _detail(claim, form)
