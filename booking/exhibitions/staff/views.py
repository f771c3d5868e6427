"""Staff pages for exhibitions (/staff/exhibitions): the list, set-up and rules, and the
per-exhibition dashboard. Applications and booths are child blueprints of this one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from booking.errors import Invalid
from booking.events.models import Event
from booking.exhibitions.applications.staff_views import bp as applications_bp
from booking.exhibitions.booths.staff_views import bp as booths_bp
from booking.exhibitions.lookup import fair_days
from booking.exhibitions.staff.access import managed_exhibition, managed_unit_id
from booking.exhibitions.staff.dashboard import exhibition_figures, exhibitions_overview
from booking.exhibitions.staff.forms import ExhibitionForm
from booking.exhibitions.staff.settings import (
    create_exhibition,
    exhibition_events,
    update_exhibition,
)
from booking.extensions import db
from booking.org.policy import can_manage
from booking.refusals import form_page, refusals
from booking.staff.access import staff_required
from booking.timefmt import format_day, now_utc

bp = Blueprint("staff_exhibitions", __name__, url_prefix="/staff/exhibitions")
# Child blueprints: their endpoints are `staff_exhibitions.applications.*`, `….booths.*`.
bp.register_blueprint(applications_bp)
bp.register_blueprint(booths_bp)


@bp.get("/")
@staff_required
def index():
    lines = exhibitions_overview(now_utc(), managed_unit_id())
    return render_template("exhibitions/staff/index.html", lines=lines)


def _event_choices(include: Event | None = None) -> list[SelectChoice]:
    return [
        SelectChoice(e.id, f"{e.title}（{format_day(e.starts_at)}）")
        for e in exhibition_events(include)
        if can_manage(current_user, e)
    ]


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new():
    form = ExhibitionForm()
    form.event.choices = _event_choices()
    if form.validate_on_submit():
        event = db.session.get(Event, form.event.data)
        with refusals(form):
            if event is None or not can_manage(current_user, event):
                raise Invalid(_("イベントを選んでください。"), field="event")
            exhibition = create_exhibition(event, form.settings())
            flash(_("展示会を登録しました。"), "success")
            return redirect(url_for("staff_exhibitions.dashboard", exhibition_id=exhibition.id))
    return form_page("exhibitions/staff/form.html", form, exhibition=None)


@bp.route("/<int:exhibition_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(exhibition_id: int):
    exhibition = managed_exhibition(exhibition_id)
    form = ExhibitionForm()
    del form.event  # an exhibition stays with its event
    if request.method == "GET":
        form.fill_from(exhibition)
    if form.validate_on_submit():
        with refusals(form):
            update_exhibition(exhibition, form.settings())
            flash(_("展示会の設定を保存しました。"), "success")
            return redirect(url_for("staff_exhibitions.dashboard", exhibition_id=exhibition.id))
    return form_page("exhibitions/staff/form.html", form, exhibition=exhibition)


@bp.get("/<int:exhibition_id>")
@staff_required
def dashboard(exhibition_id: int):
    exhibition = managed_exhibition(exhibition_id)
    figures = exhibition_figures(exhibition)
    days = sorted(set(fair_days(exhibition)) | set(figures.entries))
    return render_template(
        "exhibitions/staff/dashboard.html", exhibition=exhibition, figures=figures, days=days
    )
