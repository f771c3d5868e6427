"""Staff booth pages (/staff/exhibitions/<id>/booths): zones, booths in bulk, edit and
delete, assignment, the map and the printable list."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from booking.exhibitions.booths.forms import BoothForm, BoothsForm, ZoneForm
from booking.exhibitions.booths.services import (
    accepted_exhibitors,
    assign_booth,
    booths_of,
    create_booths,
    create_zone,
    delete_booth,
    get_booth,
    unassign_booth,
    update_booth,
    zones_of,
)
from booking.exhibitions.staff.access import managed_exhibition
from booking.refusals import refusals
from booking.staff.access import staff_required
from booking.storable import db_int
from booking.timefmt import now_utc

bp = Blueprint("booths", __name__, url_prefix="/<int:exhibition_id>/booths")


def _zone_choices(exhibition) -> list[SelectChoice]:
    return [SelectChoice(z.id, f"{z.code} {z.name}") for z in zones_of(exhibition)]


def _page(exhibition, zone_form=None, booths_form=None, error: str = "", status: int = 200):
    """The booth page, with the forms as posted (errors shown) or fresh."""
    zone_form = zone_form or ZoneForm(formdata=None)
    booths_form = booths_form or BoothsForm(formdata=None)
    booths_form.zone.choices = _zone_choices(exhibition)
    booths = booths_of(exhibition)
    return render_template(
        "exhibitions/staff/booths.html", exhibition=exhibition, booths=booths,
        zones=zones_of(exhibition), exhibitors=accepted_exhibitors(exhibition),
        zone_form=zone_form, booths_form=booths_form, error=error,
    ), status  # fmt: skip


def _to_page(exhibition, anchor: str = ""):
    url = url_for("staff_exhibitions.booths.index", exhibition_id=exhibition.id)
    return redirect(url + (f"#{anchor}" if anchor else ""))


@bp.get("/")
@staff_required
def index(exhibition_id: int):
    return _page(managed_exhibition(exhibition_id))


@bp.post("/zones")
@staff_required
def add_zone(exhibition_id: int):
    exhibition = managed_exhibition(exhibition_id)
    form = ZoneForm()
    status = 422
    if form.validate_on_submit():
        with refusals(form) as attempt:
            zone = create_zone(exhibition, form.code.data, form.name.data)
            flash(_("ゾーン %(code)s を作成しました。", code=zone.code), "success")
            return _to_page(exhibition, "zones-heading")
        status = attempt.refused.status
    return _page(exhibition, zone_form=form, status=status)


@bp.post("/bulk")
@staff_required
def add_booths(exhibition_id: int):
    exhibition = managed_exhibition(exhibition_id)
    form = BoothsForm()
    form.zone.choices = _zone_choices(exhibition)
    status = 422
    if form.validate_on_submit():
        with refusals(form) as attempt:
            booths = create_booths(
                exhibition, form.zone.data, form.prefix.data or "", form.count.data,
                form.first.data, form.size.data, form.placement(),
            )  # fmt: skip
            flash(_("小間を%(n)s件作成しました。", n=len(booths)), "success")
            return _to_page(exhibition, "booths-heading")
        status = attempt.refused.status
    return _page(exhibition, booths_form=form, status=status)


@bp.route("/<int:booth_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(exhibition_id: int, booth_id: int):
    exhibition = managed_exhibition(exhibition_id)
    booth = get_booth(exhibition, booth_id)
    form = BoothForm(obj=booth if request.method == "GET" else None)
    form.zone.choices = _zone_choices(exhibition)
    if request.method == "GET":
        form.zone.data = booth.zone_id
    status = 200
    if form.validate_on_submit():
        with refusals(form) as attempt:
            update_booth(exhibition, booth, form.zone.data, form.code.data, form.size.data,
                         form.placement())  # fmt: skip
            flash(_("小間 %(code)s を保存しました。", code=booth.code), "success")
            return _to_page(exhibition, "booths-heading")
        status = attempt.refused.status
    elif form.errors:
        status = 422
    return render_template(
        "exhibitions/staff/booth_form.html", exhibition=exhibition, booth=booth, form=form
    ), status


def _refused_page(exhibition, attempt: refusals):
    """The booth page with the refusal in its message box, answering the refusal's status."""
    return _page(exhibition, error=attempt.refused.message, status=attempt.refused.status)


@bp.post("/<int:booth_id>/delete")
@staff_required
def remove(exhibition_id: int, booth_id: int):
    exhibition = managed_exhibition(exhibition_id)
    booth = get_booth(exhibition, booth_id)
    code = booth.code
    with refusals(quiet=True) as attempt:
        delete_booth(booth)
        flash(_("小間 %(code)s を削除しました。", code=code), "success")
        return _to_page(exhibition, "booths-heading")
    return _refused_page(exhibition, attempt)


@bp.post("/<int:booth_id>/assign")
@staff_required
def assign(exhibition_id: int, booth_id: int):
    exhibition = managed_exhibition(exhibition_id)
    exhibitor_id = request.form.get("exhibitor", type=db_int)
    with refusals(quiet=True) as attempt:
        booth = assign_booth(exhibition, booth_id, exhibitor_id or 0, current_user, now_utc())
        flash(_("小間 %(code)s を %(name)s に割り当てました。", code=booth.code,
                name=booth.exhibitor.name), "success")  # fmt: skip
        return _to_page(exhibition, f"booth-{booth.id}")
    return _refused_page(exhibition, attempt)


@bp.post("/<int:booth_id>/unassign")
@staff_required
def unassign(exhibition_id: int, booth_id: int):
    exhibition = managed_exhibition(exhibition_id)
    with refusals(quiet=True) as attempt:
        booth = unassign_booth(exhibition, booth_id)
        flash(_("小間 %(code)s の割り当てを解除しました。", code=booth.code), "success")
        return _to_page(exhibition, f"booth-{booth.id}")
    return _refused_page(exhibition, attempt)


@bp.get("/print")
@staff_required
def printable(exhibition_id: int):
    exhibition = managed_exhibition(exhibition_id)
    return render_template(
        "exhibitions/staff/booths_print.html", exhibition=exhibition, booths=booths_of(exhibition)
    )
