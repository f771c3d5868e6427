"""The exhibitor's meeting pages: hours, the day's meetings, the booth QR, pass scan, leads.

Only for people acting for the exhibitor (`lookup.own_exhibitor`): anyone else gets 404.
Their URLs are in `visitor_views`, which holds the `meetings` blueprint both sides share.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from booking.csvexport import csv_response
from booking.errors import DomainError
from booking.exhibitions.lookup import fair_days, own_exhibitor
from booking.exhibitions.meetings.forms import HoursForm, ScanForm, mode_labels
from booking.exhibitions.meetings.hours import add_hours, hours_of, opening_hours, remove_hours
from booking.exhibitions.meetings.leads import (
    consent_by_scan,
    lead_table,
    leads_of,
    shared_visitor_ids,
)
from booking.exhibitions.meetings.services import day_meetings
from booking.exhibitions.meetings.slots import offered_modes
from booking.exhibitions.template_helpers import fair_day
from booking.refusals import refusals
from booking.timefmt import now_utc, parse_day, to_local


def _show_on(form, refused: DomainError, default_field) -> None:
    """A refusal next to its field; one without a field goes next to `default_field`."""
    target = getattr(form, refused.field, None) if refused.field else default_field
    target.errors = [*target.errors, refused.message]


def _hours_form(exhibitor, formdata=None) -> HoursForm:
    form = HoursForm(formdata)
    form.day.choices = [(d.isoformat(), fair_day(d)) for d in fair_days(exhibitor.exhibition)]
    labels = mode_labels()
    form.mode.choices = [(m, labels[m]) for m in offered_modes(exhibitor)]
    if formdata is None and form.mode.choices:
        form.mode.data = form.mode.choices[0][0]
    return form


def _hours_page(exhibitor, form, status: int = 200, problem: str | None = None):
    return render_template(
        "exhibitions/meetings/hours.html", exhibitor=exhibitor, form=form, problem=problem,
        hours=hours_of(exhibitor), opening=opening_hours(exhibitor.exhibition),
    ), status  # fmt: skip


@login_required
def hours(exhibitor_id: int):
    exhibitor = own_exhibitor(exhibitor_id, current_user)
    form = _hours_form(exhibitor, request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            with refusals(quiet=True) as attempt:
                add_hours(
                    exhibitor, parse_day(form.day.data), form.starts.data,
                    form.ends.data, form.mode.data,
                )  # fmt: skip
                flash(_("商談時間を公開しました。"), "success")
                return redirect(url_for("meetings.hours", exhibitor_id=exhibitor.id))
            _show_on(form, attempt.refused, form.starts)
            status = 409 if attempt.refused.status == 409 else 422
    return _hours_page(exhibitor, form, status)


@login_required
def delete_hours(exhibitor_id: int, hours_id: int):
    exhibitor = own_exhibitor(exhibitor_id, current_user)
    with refusals(quiet=True) as attempt:
        remove_hours(exhibitor, hours_id)
        flash(_("商談時間を削除しました。"), "success")
        return redirect(url_for("meetings.hours", exhibitor_id=exhibitor.id))
    refused = attempt.refused
    if refused.status == 404:
        raise refused
    return _hours_page(exhibitor, _hours_form(exhibitor), refused.status, refused.message)


@login_required
def day_list(exhibitor_id: int):
    """The day's meetings, printable: time, visitor, company, mode, topic, contact shared."""
    exhibitor = own_exhibitor(exhibitor_id, current_user)
    days = fair_days(exhibitor.exhibition)
    try:
        day = parse_day(request.args.get("day", ""))
    except ValueError:
        today = to_local(now_utc()).date()
        day = today if today in days else days[0]
    meetings = day_meetings(exhibitor, day)
    return render_template(
        "exhibitions/meetings/day.html", exhibitor=exhibitor, day=day, days=days,
        meetings=meetings, shared=shared_visitor_ids(exhibitor, [m.visitor_id for m in meetings]),
    )  # fmt: skip


def share_url(exhibitor) -> str:
    return f"{current_app.config['BASE_URL']}/meetings/share/{exhibitor.id}"


@login_required
def booth_qr(exhibitor_id: int):
    """A printable QR code for the booth: visitors open it to share their contact."""
    import segno

    exhibitor = own_exhibitor(exhibitor_id, current_user)
    url = share_url(exhibitor)
    svg = segno.make(url, error="m").svg_inline(scale=8, border=2, title=_("連絡先共有のQRコード"))
    return render_template(
        "exhibitions/meetings/booth_qr.html", exhibitor=exhibitor, url=url, qr=Markup(svg)
    )


@login_required
def scan(exhibitor_id: int):
    """The exhibitor reads a visitor's entry pass after the visitor agreed on the spot."""
    exhibitor = own_exhibitor(exhibitor_id, current_user)
    form = ScanForm(request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            with refusals(quiet=True) as attempt:
                lead = consent_by_scan(
                    exhibitor, form.token.data, bool(form.agreed.data), now_utc()
                )
                flash(
                    _("%(name)s様の連絡先を登録しました。", name=lead.visitor.full_name), "success"
                )
                return redirect(url_for("meetings.scan", exhibitor_id=exhibitor.id))
            _show_on(form, attempt.refused, form.token)
    return render_template("exhibitions/meetings/scan.html", exhibitor=exhibitor, form=form), status


@login_required
def leads(exhibitor_id: int):
    exhibitor = own_exhibitor(exhibitor_id, current_user)
    return render_template(
        "exhibitions/meetings/leads.html", exhibitor=exhibitor, leads=leads_of(exhibitor)
    )


@login_required
def leads_download(exhibitor_id: int):
    exhibitor = own_exhibitor(exhibitor_id, current_user)
    stamp = to_local(now_utc()).strftime("%Y%m%d")
    header, rows = lead_table(exhibitor)
    return csv_response(header, rows, f"leads-{exhibitor.id}-{stamp}.csv")
