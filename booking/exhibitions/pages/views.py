"""The exhibitor's own pages: which exhibitions the company is in, and its public page."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from booking.exhibitions.directory.views import logo_response
from booking.exhibitions.lookup import exhibitors_of_user, own_exhibitor
from booking.exhibitions.pages.details import page_details, update_page
from booking.exhibitions.pages.forms import LogoForm, PageForm, RemoveLogoForm
from booking.exhibitions.pages.logos import MAX_BYTES, remove_logo, set_logo
from booking.refusals import refusals
from booking.timefmt import now_utc

bp = Blueprint("exhibitor_page", __name__, url_prefix="/exhibitor")


@bp.get("/")
@login_required
def index():
    return render_template(
        "exhibitions/pages/index.html", exhibitors=exhibitors_of_user(current_user)
    )


@bp.get("/<int:exhibitor_id>/")
@login_required
def home(exhibitor_id: int):
    exhibitor = own_exhibitor(exhibitor_id, current_user, accepted=False)
    return render_template("exhibitions/pages/home.html", exhibitor=exhibitor)


def _editor(exhibitor, page_form=None, logo_form=None, status: int = 200):
    return render_template(
        "exhibitions/pages/edit.html", exhibitor=exhibitor,
        form=page_form or PageForm(formdata=None, data=asdict(page_details(exhibitor))),
        logo_form=logo_form or LogoForm(formdata=None), remove_form=RemoveLogoForm(formdata=None),
        max_mb=MAX_BYTES // 1_000_000,
    ), status  # fmt: skip


@bp.route("/<int:exhibitor_id>/page", methods=["GET", "POST"])
@login_required
def edit(exhibitor_id: int):
    exhibitor = own_exhibitor(exhibitor_id, current_user)
    if request.method == "GET":
        return _editor(exhibitor)
    form = PageForm()
    if form.validate_on_submit():
        with refusals(form):
            update_page(exhibitor, form.details(), now_utc())
            flash(_("出展者ページを保存しました。"), "success")
            return redirect(url_for("exhibitor_page.edit", exhibitor_id=exhibitor.id))
    return _editor(exhibitor, page_form=form, status=422)


@bp.route("/<int:exhibitor_id>/logo", methods=["GET", "POST"])
@login_required
def logo(exhibitor_id: int):
    """GET: the exhibitor's own preview (the public URL waits for the fair's publication)."""
    exhibitor = own_exhibitor(exhibitor_id, current_user)
    if request.method == "GET":
        return logo_response(exhibitor.logo, public=False)
    form = LogoForm()
    if form.validate_on_submit():
        upload = form.logo.data
        # Read one byte past the limit: enough to know it is too big, never the whole file.
        raw = upload.stream.read(MAX_BYTES + 1) if upload else b""
        with refusals(form):
            set_logo(exhibitor, raw, now_utc())
            flash(_("ロゴ画像を登録しました。"), "success")
            return redirect(url_for("exhibitor_page.edit", exhibitor_id=exhibitor.id))
    return _editor(exhibitor, logo_form=form, status=422)


@bp.post("/<int:exhibitor_id>/logo/delete")
@login_required
def delete_logo(exhibitor_id: int):
    exhibitor = own_exhibitor(exhibitor_id, current_user)
    if RemoveLogoForm().validate_on_submit() and remove_logo(exhibitor, now_utc()):
        flash(_("ロゴ画像を削除しました。"), "success")
    return redirect(url_for("exhibitor_page.edit", exhibitor_id=exhibitor.id))
