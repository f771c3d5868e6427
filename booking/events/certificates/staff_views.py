"""The staff page of an event's certificates and materials (/staff/events/<id>/certificates):
offer certificates or not, upload materials, publish or hide them, see what was issued."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.events.certificates.entitlement import offers_certificates
from booking.events.certificates.forms import MaterialActionForm, MaterialForm, OfferForm
from booking.events.certificates.issuing import certificates_of_event, set_offered
from booking.events.certificates.materials import (
    KINDS,
    add_material,
    delete_material,
    material_of,
    materials_of,
    max_bytes,
    set_published,
)
from booking.events.staff_pages import managed_event
from booking.refusals import has_errors, refusals
from booking.staff.access import staff_required
from booking.timefmt import now_utc

bp = Blueprint("staff_certificates", __name__, url_prefix="/staff/events")


def _page(event, offer_form=None, material_form=None):
    offer_form = offer_form or OfferForm(formdata=None, offered=offers_certificates(event))
    material_form = material_form or MaterialForm(formdata=None)
    status = 422 if has_errors(material_form) else 200
    return render_template(
        "certificates/staff.html", event=event, offer_form=offer_form,
        material_form=material_form, action_form=MaterialActionForm(formdata=None),
        materials=materials_of(event), certificates=certificates_of_event(event),
        max_mb=max_bytes() // 1_000_000, kinds=sorted(KINDS),
    ), status  # fmt: skip


@bp.get("/<int:event_id>/certificates")
@staff_required
def index(event_id: int):
    return _page(managed_event(event_id))


@bp.post("/<int:event_id>/certificates/offer")
@staff_required
def offer(event_id: int):
    event = managed_event(event_id)
    form = OfferForm()
    if form.validate_on_submit():
        set_offered(event, bool(form.offered.data), current_user, now_utc())
        flash(_("受講証明書を発行する設定にしました。") if form.offered.data
              else _("受講証明書を発行しない設定にしました。"), "success")  # fmt: skip
    return redirect(url_for("staff_certificates.index", event_id=event.id))


@bp.post("/<int:event_id>/materials")
@staff_required
def upload(event_id: int):
    event = managed_event(event_id)
    form = MaterialForm()
    if form.validate_on_submit():
        upload = form.file.data
        # Read one byte past the limit: enough to know it is too big, never the whole file.
        raw = upload.stream.read(max_bytes() + 1) if upload else b""
        name = upload.filename if upload else ""
        with refusals(form):
            add_material(event, form.title.data or "", name or "", raw, current_user, now_utc())
            flash(_("資料をアップロードしました（まだ公開されていません）。"), "success")
            return redirect(url_for("staff_certificates.index", event_id=event.id))
    return _page(event, material_form=form)


def _material_action(event_id: int, material_id: int, action: str):
    event = managed_event(event_id)
    material = material_of(event, material_id)
    if MaterialActionForm().validate_on_submit():
        title = material.title
        if action == "delete":
            delete_material(material)
            flash(_("資料「%(title)s」を削除しました。", title=title), "success")
        elif action == "publish":
            set_published(material, True, now_utc())
            flash(_("資料「%(title)s」を公開しました。", title=title), "success")
        else:
            set_published(material, False, now_utc())
            flash(_("資料「%(title)s」を非公開にしました。", title=title), "success")
    return redirect(url_for("staff_certificates.index", event_id=event.id) + "#materials")


@bp.post("/<int:event_id>/materials/<int:material_id>/publish")
@staff_required
def material_publish(event_id: int, material_id: int):
    return _material_action(event_id, material_id, "publish")


@bp.post("/<int:event_id>/materials/<int:material_id>/hide")
@staff_required
def material_hide(event_id: int, material_id: int):
    return _material_action(event_id, material_id, "hide")


@bp.post("/<int:event_id>/materials/<int:material_id>/delete")
@staff_required
def material_delete(event_id: int, material_id: int):
    return _material_action(event_id, material_id, "delete")
