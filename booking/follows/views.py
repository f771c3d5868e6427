"""Follow and unfollow (from the branch page, the event page, My Page), the settings list,
and the digest's one-click opt-out (RFC 8058: the link's GET asks, only POST acts)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from booking.extensions import csrf
from booking.follows.digest import user_id_of_token
from booking.follows.forms import ChooseForm, DigestForm, UnitForm
from booking.follows.policy import FOLLOWABLE_KINDS, may_follow
from booking.follows.services import (
    digest_state,
    follow,
    followed_unit_ids,
    follows_of,
    set_digest,
    unfollow,
)
from booking.localnames import localized
from booking.main.forms import safe_next
from booking.org.services import units_of_kind
from booking.refusals import form_page, refusals
from booking.timefmt import now_utc

bp = Blueprint("follows", __name__)


def _choices() -> dict[str, list[SelectChoice]]:
    """Units not followed yet, grouped by kind (an <optgroup> each)."""
    followed = followed_unit_ids(current_user)
    labels = {"branch": _("支部"), "section": _("部会"), "group": _("グループ")}
    return {
        labels[kind]: [SelectChoice(u.key, localized(u)) for u in units_of_kind(kind)
                       if u.id not in followed]
        for kind in FOLLOWABLE_KINDS
    }  # fmt: skip


def _back(form: UnitForm) -> str:
    home = url_for("follows.settings") if may_follow(current_user) else url_for("mypage.index")
    return safe_next(form.next.data) or home


@bp.route("/mypage/follows", methods=["GET", "POST"])
@login_required
def settings():
    """What the person follows, the digest switch, and a chooser to follow more."""
    if not may_follow(current_user):
        abort(404)
    form = ChooseForm()
    form.unit.choices = _choices()
    if form.validate_on_submit():
        with refusals(form):
            unit = follow(current_user, form.unit.data)
            flash(_("%(name)sをフォローしました。", name=localized(unit)), "success")
            return redirect(url_for("follows.settings"))
    return form_page(
        "follows/settings.html", form, follows=follows_of(current_user),
        state=digest_state(current_user), unit_form=UnitForm(), digest_form=DigestForm(),
    )  # fmt: skip


@bp.post("/follows/follow")
@login_required
def follow_unit():
    form = UnitForm()
    if not form.validate_on_submit():
        abort(400)
    with refusals():
        unit = follow(current_user, form.unit.data)
        flash(_("%(name)sをフォローしました。新着イベントを毎週メールでお知らせします。",
                name=localized(unit)), "success")  # fmt: skip
    return redirect(_back(form))


@bp.post("/follows/unfollow")
@login_required
def unfollow_unit():
    form = UnitForm()
    if not form.validate_on_submit():
        abort(400)
    with refusals():
        unit = unfollow(current_user, form.unit.data)
        flash(_("%(name)sのフォローを解除しました。", name=localized(unit)), "success")
    return redirect(_back(form))


@bp.post("/mypage/follows/digest")
@login_required
def digest_setting():
    form = DigestForm()
    if not form.validate_on_submit() or form.wanted.data not in ("yes", "no"):
        abort(400)
    wanted = form.wanted.data == "yes"
    if set_digest(current_user.id, wanted, now_utc()):
        flash(_("週1回のお知らせメールを再開しました。") if wanted
              else _("週1回のお知らせメールを停止しました。"), "success")  # fmt: skip
    return redirect(url_for("follows.settings"))


@bp.route("/follows/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: the mail client POSTs without our form; the signed token is the key
def unsubscribe(token: str):
    """GET shows a page with one button (link checkers and previews must not unsubscribe);
    POST — the button, or a mail client's one-click — stops the digest."""
    user_id = user_id_of_token(token)
    if user_id is None:
        abort(404)
    if request.method == "POST":
        if not set_digest(user_id, False, now_utc()):
            abort(404)
        return render_template("follows/unsubscribed.html")
    return render_template("follows/unsubscribe.html", token=token)
