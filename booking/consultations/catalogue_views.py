"""Staff pages of the consultation catalogue: themes, channels, and each branch's offers.

Themes and channels are the chamber's (HQ staff and admins edit them); a branch's staff
choose which of them their branch offers. Another branch's page answers 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.consultations.catalogue import channels, local_name, themes
from booking.consultations.catalogue_admin import (
    ThemeDetails,
    questions_from_text,
    save_channel,
    save_theme,
    set_active,
)
from booking.consultations.catalogue_forms import BranchOffersForm, ChannelForm, ThemeForm
from booking.consultations.models import Channel, Theme
from booking.consultations.offers import set_branch_offers, withdrawn_of
from booking.consultations.policy import may_edit_catalogue, may_manage_branch, sees_all_units
from booking.consultations.routing_format import routing_from_text, routing_to_text
from booking.extensions import db
from booking.org.models import Unit
from booking.org.services import units_of_kind
from booking.refusals import form_page, refusals
from booking.staff.access import staff_required

bp = Blueprint("catalogue", __name__, url_prefix="/staff/consultations")


def managed_branches() -> list[Unit]:
    """The branches whose offers the signed-in staff member sets."""
    return [b for b in units_of_kind("branch") if may_manage_branch(current_user, b)]


@bp.get("/")
@staff_required
def index():
    return render_template(
        "consultations/catalogue/index.html",
        themes=themes(include_inactive=True), channels=channels(include_inactive=True),
        branches=managed_branches(), may_edit=may_edit_catalogue(current_user),
        sees_all=sees_all_units(current_user),
    )  # fmt: skip


def _editable(model, item_id: int | None):
    """The theme or channel to edit (None: a new one); 404 for branch staff and unknown ids."""
    if not may_edit_catalogue(current_user):
        abort(404)
    if item_id is None:
        return None
    item = db.session.get(model, item_id)
    if item is None:
        abort(404)
    return item


def _theme_details(form: ThemeForm) -> ThemeDetails:
    return ThemeDetails(
        name=form.name.data or "", name_en=form.name_en.data or "", about=form.about.data or "",
        about_en=form.about_en.data or "", intake_hint=form.intake_hint.data or "",
        intake_hint_en=form.intake_hint_en.data or "", slot_minutes=form.slot_minutes.data,
        buffer_minutes=form.buffer_minutes.data, min_notice_hours=form.min_notice_hours.data,
        horizon_days=form.horizon_days.data, cancel_cutoff_hours=form.cancel_cutoff_hours.data,
        questions=questions_from_text(form.questions.data),
        routing=routing_from_text(form.routing.data or ""),
    )  # fmt: skip


@bp.route("/themes/new", methods=["GET", "POST"])
@bp.route("/themes/<int:theme_id>", methods=["GET", "POST"])
@staff_required
def theme(theme_id: int | None = None):
    """Create or edit a theme and its booking rules."""
    item = _editable(Theme, theme_id)
    form = ThemeForm(obj=item) if item else ThemeForm(data=_theme_defaults())
    if item and request.method == "GET":
        form.questions.data = "\n".join(item.questions or [])
        form.routing.data = routing_to_text(item.routing or [])
    if form.validate_on_submit():
        with refusals(form):
            saved = save_theme(item, _theme_details(form))
            flash(_("ご相談テーマ「%(name)s」を保存しました。", name=local_name(saved)), "success")
            return redirect(url_for("catalogue.index"))
    return form_page("consultations/catalogue/theme.html", form, item=item)


def _theme_defaults() -> dict:
    d = ThemeDetails(name="")
    return {k: getattr(d, k) for k in ("slot_minutes", "buffer_minutes", "min_notice_hours",
                                       "horizon_days", "cancel_cutoff_hours")}  # fmt: skip


@bp.route("/channels/new", methods=["GET", "POST"])
@bp.route("/channels/<int:channel_id>", methods=["GET", "POST"])
@staff_required
def channel(channel_id: int | None = None):
    """Create or rename a channel."""
    item = _editable(Channel, channel_id)
    form = ChannelForm(obj=item)
    if form.validate_on_submit():
        with refusals(form):
            saved = save_channel(item, form.name.data, form.name_en.data or "")
            flash(_("相談方法「%(name)s」を保存しました。", name=local_name(saved)), "success")
            return redirect(url_for("catalogue.index"))
    return form_page("consultations/catalogue/channel.html", form, item=item)


def _toggle(item) -> None:
    active = request.form.get("active") == "1"
    set_active(item, active)
    if active:
        flash(_("「%(name)s」の受付を再開しました。", name=local_name(item)), "success")
    else:
        flash(_("「%(name)s」の新しい予約の受付を停止しました。ご予約済みの相談はそのままです。",
                name=local_name(item)), "success")  # fmt: skip


@bp.post("/themes/<int:theme_id>/active")
@staff_required
def theme_active(theme_id: int):
    """Deactivate (never delete) or reactivate a theme."""
    _toggle(_editable(Theme, theme_id))
    return redirect(url_for("catalogue.index"))


@bp.post("/channels/<int:channel_id>/active")
@staff_required
def channel_active(channel_id: int):
    """Deactivate (never delete) or reactivate a channel."""
    _toggle(_editable(Channel, channel_id))
    return redirect(url_for("catalogue.index"))


@bp.route("/branches/<int:unit_id>", methods=["GET", "POST"])
@staff_required
def branch_offers(unit_id: int):
    """Which themes and channels one branch offers (its staff, HQ and admins)."""
    unit = db.session.get(Unit, unit_id)
    if unit is None or not may_manage_branch(current_user, unit):
        abort(404)
    all_themes, all_channels = themes(include_inactive=True), channels(include_inactive=True)
    form = BranchOffersForm().fill(all_themes, all_channels)
    if request.method == "GET":
        closed_themes, closed_channels = withdrawn_of(unit)
        form.themes.data = [str(t.id) for t in all_themes if t.id not in closed_themes]
        form.channels.data = [str(c.id) for c in all_channels if c.id not in closed_channels]
    if form.validate_on_submit():
        with refusals(form):
            set_branch_offers(unit, {int(v) for v in form.themes.data},
                              {int(v) for v in form.channels.data})  # fmt: skip
            flash(_("%(branch)sの受付内容を保存しました。", branch=unit.name), "success")
            return redirect(url_for("catalogue.index"))
    return form_page("consultations/catalogue/branch.html", form, unit=unit)
