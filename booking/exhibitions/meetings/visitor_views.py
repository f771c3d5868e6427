"""Meetings (商談) for visitors: an exhibitor's free slots, booking, the meeting page, cancel
(signed in or by the signed link in every mail: a GET shows the meeting, only a POST acts),
and the booth page where a visitor agrees to share their contact.

The exhibitor's pages (hours, the day's meetings, leads, scan) are in
`exhibitor_views`; this module holds the blueprint both share (endpoints
`meetings.*`, no URL prefix) and lists the exhibitor's URLs at its end.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from booking.errors import NotAllowed, NotFound, SlotTaken
from booking.exhibitions.lookup import fair_days
from booking.exhibitions.meetings import exhibitor_views as exhibitor_pages
from booking.exhibitions.meetings.forms import BookingForm
from booking.exhibitions.meetings.leads import (
    active_lead,
    record_consent,
)
from booking.exhibitions.meetings.leads import withdraw_consent as withdraw_lead
from booking.exhibitions.meetings.mails import meeting_from_token
from booking.exhibitions.meetings.services import (
    VisitorBusy,
    book_meeting,
    bookable_exhibitor,
    cancel_meeting,
    meeting_for,
    visitor_registration,
)
from booking.exhibitions.meetings.slots import free_meeting_slots, offered_modes, slots_by_day
from booking.exhibitions.policy import acts_for
from booking.extensions import login_manager
from booking.refusals import refusals
from booking.timefmt import local_zone, now_utc, parse_local, to_local

bp = Blueprint("meetings", __name__)


def _fair_range(exhibitor) -> tuple[datetime, datetime]:
    days = fair_days(exhibitor.exhibition)
    zone = local_zone()
    return (
        datetime.combine(days[0], time(0), tzinfo=zone),
        datetime.combine(days[-1] + timedelta(days=1), time(0), tzinfo=zone),
    )


@bp.route("/meetings/exhibitors/<int:exhibitor_id>", methods=["GET", "POST"], endpoint="slots")
def exhibitor_slots(exhibitor_id: int):
    """Free slots by day and mode; `?start=&mode=` (or a POST) is the booking form."""
    exhibitor = bookable_exhibitor(exhibitor_id)
    now = now_utc()
    # `show` filters the list by mode; `mode` belongs to the slot being booked.
    show = request.args.get("show")
    mode = show if show in offered_modes(exhibitor) else None
    start, end = _fair_range(exhibitor)
    slots = free_meeting_slots(exhibitor, start, end, now, mode)
    signed_in = current_user.is_authenticated
    registered = signed_in and visitor_registration(exhibitor, current_user) is not None
    form = BookingForm(data=None if request.method == "POST" else request.args)
    chosen = None
    if form.start.data:
        try:
            chosen = parse_local(form.start.data)
        except ValueError:
            chosen = None
    context = {
        "exhibitor": exhibitor, "by_day": slots_by_day(slots), "mode": mode, "form": form,
        "chosen": chosen, "registered": registered, "own": acts_for(current_user, exhibitor),
        "length": exhibitor.exhibition.meeting_minutes,
        "chosen_end": chosen + timedelta(minutes=exhibitor.exhibition.meeting_minutes)
        if chosen else None,
    }  # fmt: skip
    if request.method == "GET":
        return render_template("exhibitions/meetings/slots.html", **context)
    if not signed_in:
        return login_manager.unauthorized()
    if chosen is None or not form.validate():
        return render_template("exhibitions/meetings/slots.html", **context), 422
    with refusals(quiet=True) as attempt:
        meeting = book_meeting(
            current_user, exhibitor, chosen, form.mode.data or "", now,
            topic=form.topic.data or "", share_contact=bool(form.share.data),
        )  # fmt: skip
        flash(_("商談のご予約を承りました。確認のメールをお送りします。"), "success")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    refused = attempt.refused
    if isinstance(refused, (SlotTaken, VisitorBusy)):
        return render_template(
            "exhibitions/meetings/slots.html", taken=refused.message, **context
        ), 409
    status = 403 if isinstance(refused, NotAllowed) else 422
    return render_template("exhibitions/meetings/slots.html", problem=refused, **context), status


# ---- one meeting: details and cancel (signed in, or by the signed link)


def _resolve(meeting_id: int | None, token: str | None):
    """(meeting, side, actor): signed in as the visitor or for the exhibitor, or by token."""
    if token is not None:
        found = meeting_from_token(token)
        if found is None:
            abort(404)
        meeting, side = found
        return meeting, side, meeting.visitor if side == "visitor" else None
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    meeting, side = meeting_for(current_user, meeting_id)
    return meeting, side, current_user


@bp.get("/meetings/<int:meeting_id>")
def detail(meeting_id: int):
    meeting, side, _actor = _resolve(meeting_id, None)
    shared = active_lead(meeting.exhibitor, meeting.visitor) is not None
    return render_template(
        "exhibitions/meetings/detail.html", m=meeting, side=side, shared=shared,
        cancel_url=url_for("meetings.cancel", meeting_id=meeting.id),
        day_iso=to_local(meeting.starts_at).date().isoformat(),
    )  # fmt: skip


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
@bp.route("/meetings/c/<token>", methods=["GET", "POST"], endpoint="cancel_by_link")
def cancel(meeting_id: int | None = None, token: str | None = None):
    meeting, side, actor = _resolve(meeting_id, token)
    here = request.path
    if request.method == "POST":
        with refusals():
            cancel_meeting(meeting, now_utc(), actor, side)
            flash(_("商談をキャンセルしました。"), "success")
        return redirect(here)
    return render_template(
        "exhibitions/meetings/cancel.html", m=meeting, side=side,
        back=url_for("meetings.detail", meeting_id=meeting.id) if token is None else None,
    )  # fmt: skip


# ---- sharing the contact: the booth page (QR code) and withdrawing


@bp.route("/meetings/share/<int:exhibitor_id>", methods=["GET", "POST"])
@login_required
def share(exhibitor_id: int):
    """The visitor confirms (or withdraws) sharing their contact with this exhibitor."""
    exhibitor = bookable_exhibitor(exhibitor_id)
    if request.method == "POST":
        now = now_utc()
        if request.form.get("action") == "withdraw":
            withdraw_lead(exhibitor.id, current_user, now)
            flash(_("連絡先の共有を取り消しました。"), "success")
        else:
            with refusals():
                record_consent(exhibitor, current_user, "booth", now)
                flash(_("連絡先を%(name)sに共有しました。", name=exhibitor.name), "success")
        return redirect(url_for("meetings.share", exhibitor_id=exhibitor.id))
    return render_template(
        "exhibitions/meetings/share.html", exhibitor=exhibitor,
        shared=active_lead(exhibitor, current_user) is not None,
        own=acts_for(current_user, exhibitor),
    )  # fmt: skip


@bp.post("/meetings/shares/<int:exhibitor_id>/withdraw")
@login_required
def withdraw_share(exhibitor_id: int):
    """From My Page: stop sharing the contact with one exhibitor."""
    if not withdraw_lead(exhibitor_id, current_user, now_utc()):
        raise NotFound()
    flash(_("連絡先の共有を取り消しました。"), "success")
    return redirect(url_for("mypage.index"))


# ---- the exhibitor's pages (exhibitor_views), on this blueprint

_EXHIBITOR_PAGES = (
    ("/exhibitor/<int:exhibitor_id>/hours", exhibitor_pages.hours, ("GET", "POST")),
    ("/exhibitor/<int:exhibitor_id>/hours/<int:hours_id>/delete", exhibitor_pages.delete_hours,
     ("POST",)),
    ("/exhibitor/<int:exhibitor_id>/meetings", exhibitor_pages.day_list, ("GET",)),
    ("/exhibitor/<int:exhibitor_id>/booth-qr", exhibitor_pages.booth_qr, ("GET",)),
    ("/exhibitor/<int:exhibitor_id>/scan", exhibitor_pages.scan, ("GET", "POST")),
    ("/exhibitor/<int:exhibitor_id>/leads", exhibitor_pages.leads, ("GET",)),
    ("/exhibitor/<int:exhibitor_id>/leads.csv", exhibitor_pages.leads_download, ("GET",)),
)  # fmt: skip
for _rule, _view, _methods in _EXHIBITOR_PAGES:
    bp.add_url_rule(_rule, view_func=_view, methods=list(_methods))
