"""Member pages: theme → channel → branch → week grid → intake → confirm; change and cancel.

Change and cancel work from My Page (signed in) and from the signed link in every mail
(`/consultations/m/<token>/…`): a GET shows a confirmation page, only a POST acts.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from booking import accommodation
from booking.consultations.catalogue import (
    advisors_for,
    branches_for,
    channels,
    theme_by_slug,
    themes,
)
from booking.consultations.forms import intake_form_for
from booking.consultations.grid import parse_week, week_bounds, week_grid
from booking.consultations.models import Advisor, Consultation
from booking.consultations.notify import consultation_from_token
from booking.consultations.places import booking_place
from booking.consultations.policy import (
    may_cancel,
    may_manage,
    may_see_record,
    past_cutoff_for,
)
from booking.consultations.routing import carried_answer_texts
from booking.consultations.services import (
    Intake,
    book_consultation,
    cancel_consultation,
    last_advisor_id,
    reschedule_consultation,
)
from booking.consultations.slots import booking_window, free_slots
from booking.errors import DomainError, NotFound, SlotTaken
from booking.extensions import db, login_manager
from booking.org.services import unit_by_key
from booking.refusals import refusals
from booking.storable import db_int_or_none
from booking.timefmt import now_utc, parse_local, to_local
from booking.unit_of_work import undo

bp = Blueprint("consultations", __name__, url_prefix="/consultations")


@bp.get("/")
def index():
    return render_template("consultations/index.html", themes=themes())


def _theme_or_404(slug):
    try:
        return theme_by_slug(slug)
    except NotFound:
        abort(404)


def _branch_id(slug: str | None) -> int | None:
    if not slug or slug == "any":
        return None
    unit = unit_by_key(f"branch:{slug}")
    if unit is None:
        abort(404)
    return unit.id


def _advisor_choice(value: str | None, theme) -> int | None:
    """`any`, `last` (the member's previous advisor) or an advisor id."""
    if value == "last" and current_user.is_authenticated:
        return last_advisor_id(current_user, theme) or last_advisor_id(current_user)
    return db_int_or_none(value) if value and value.isdigit() else None


def _first_free_day(theme, now, **filters):
    """The day of the first free slot (so the grid opens on a week with something in it)."""
    earliest, latest = booking_window(theme, now)
    slots = free_slots(theme, earliest, latest, now, **filters)
    return to_local(slots[0].start if slots else earliest).date()


@bp.get("/book")
def choose():
    """One page, several steps: each choice is a link that adds a query parameter.

    Anyone may look at the free slots; picking one leads to the intake, which asks a visitor
    to sign in first and comes back to the chosen slot (`next`)."""
    args = request.args
    theme = _theme_or_404(args.get("theme")) if args.get("theme") else None
    if theme is None:
        return render_template("consultations/index.html", themes=themes())
    channel = args.get("channel")
    if channel not in {c.slug for c in channels()}:
        return render_template("consultations/choose.html", step="channel", theme=theme,
                               channels=channels())  # fmt: skip
    branch = args.get("branch")
    if not branch:
        return render_template("consultations/choose.html", step="branch", theme=theme,
                               channel=channel, branches=branches_for(theme, channel))  # fmt: skip
    branch_id = _branch_id(branch)
    now = now_utc()
    choice = args.get("advisor") or "any"
    advisor_id = _advisor_choice(choice, theme)
    monday = parse_week(args.get("week"), _first_free_day(theme, now, branch_id=branch_id,
                        channel_slug=channel, advisor_id=advisor_id))  # fmt: skip
    start, end = week_bounds(monday)
    slots = free_slots(theme, start, end, now, branch_id=branch_id, channel_slug=channel,
                       advisor_id=advisor_id)  # fmt: skip
    if advisor_id is None:
        # "Any advisor": one link per time; the booking picks the advisor.
        seen, unique = set(), []
        for s in slots:
            if s.start not in seen:
                seen.add(s.start)
                unique.append(s)
        slots = unique
    return render_template(
        "consultations/choose.html", step="slots", theme=theme, channel=channel, branch=branch,
        grid=week_grid(monday, slots), monday=monday, choice=choice,
        advisor_id=advisor_id, advisors=advisors_for(theme, channel, branch_id),
        has_last=current_user.is_authenticated and last_advisor_id(current_user) is not None,
        prev_week=(monday - timedelta(days=7)).isoformat(),
        next_week=(monday + timedelta(days=7)).isoformat(),
        show_prev=week_bounds(monday)[0] > now,
    )  # fmt: skip


@bp.route("/book/intake", methods=["GET", "POST"])
@login_required
def intake():
    source = request.form if request.method == "POST" else request.args
    theme = _theme_or_404(source.get("theme"))
    form = intake_form_for(theme, data=None if request.method == "POST" else dict(request.args))
    try:
        start = parse_local(form.start.data or "")
    except ValueError:
        abort(404)
    end = start + timedelta(minutes=theme.slot_minutes)
    context = {"form": form, "theme": theme, "start": start, "end": end,
               "advisor": _advisor_name(form.advisor.data),
               "where": booking_place(form.channel.data, form.branch.data, current_user)}  # fmt: skip
    if request.method == "GET" or request.form.get("action") == "edit":
        return render_template("consultations/intake.html", **context)
    if not form.validate():
        return render_template("consultations/intake.html", **context), 422
    if request.form.get("action") != "book":
        return render_template("consultations/confirm.html", **context)
    try:
        consultation = book_consultation(
            current_user, theme, form.channel.data, start, now_utc(),
            advisor_id=_advisor_choice(form.advisor.data, theme),
            branch_id=_branch_id(form.branch.data),
            intake=Intake(form.topic.data, form.situation.data or "", form.goal.data or "",
                          {**form.theme_answers(), **carried_answer_texts(form.ra.data)},
                          *accommodation.requested(form)),
        )  # fmt: skip
    except DomainError as exc:
        # Not `refusals(form)`: the page shows a taken slot (409) apart from other refusals,
        # above the form rather than on a (hidden) field.
        undo()
        if isinstance(exc, SlotTaken):
            return render_template("consultations/intake.html", taken=exc.message, **context), 409
        return render_template("consultations/intake.html", problem=exc, **context), 422
    flash(_("ご予約を承りました。確認のメールをお送りします。"), "success")
    return redirect(url_for("consultations.detail", consultation_id=consultation.id, done=1))


def _advisor_name(value: str | None) -> str | None:
    advisor_id = db_int_or_none(value) if value and value.isdigit() else None
    advisor = db.session.get(Advisor, advisor_id) if advisor_id else None
    return advisor.name if advisor else None


# ---- one booking: details, change, cancel (signed in, or by the signed link)


def _resolve(consultation_id: int | None, token: str | None):
    """(consultation, actor): by id for a signed-in person allowed to manage it, or by token."""
    if token is not None:
        consultation = consultation_from_token(token)
        if consultation is None:
            abort(404)
        return consultation, consultation.member
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or not may_manage(current_user, consultation):
        abort(404)
    return consultation, current_user


def _links(consultation, token):
    if token is not None:
        return {
            "cancel": url_for("consultations.cancel_by_link", token=token),
            "reschedule": url_for("consultations.reschedule_by_link", token=token),
            "detail": url_for("consultations.manage", token=token),
        }
    return {
        "cancel": url_for("consultations.cancel", consultation_id=consultation.id),
        "reschedule": url_for("consultations.reschedule", consultation_id=consultation.id),
        "detail": url_for("consultations.detail", consultation_id=consultation.id),
    }


@bp.get("/<int:consultation_id>")
@bp.get("/m/<token>", endpoint="manage")
def detail(consultation_id: int | None = None, token: str | None = None):
    consultation, actor = _resolve(consultation_id, token)
    signed_in = current_user.is_authenticated and token is None
    return render_template(
        "consultations/detail.html", c=consultation, links=_links(consultation, token),
        show_record=signed_in and may_see_record(current_user, consultation),
        is_desk=signed_in and current_user.id != consultation.member_id,
        late=past_cutoff_for(actor, consultation, now_utc()),  # the hint that it counts late
        can_change=may_cancel(consultation, now_utc()),  # the member's rule, for anyone
        done=request.args.get("done") == "1" and signed_in,  # the last step of booking
    )  # fmt: skip


@bp.route("/<int:consultation_id>/cancel", methods=["GET", "POST"])
@bp.route("/m/<token>/cancel", methods=["GET", "POST"], endpoint="cancel_by_link")
def cancel(consultation_id: int | None = None, token: str | None = None):
    consultation, actor = _resolve(consultation_id, token)
    links = _links(consultation, token)
    now = now_utc()
    if request.method == "POST":
        with refusals():
            cancel_consultation(consultation, now, actor)
            flash(_("ご予約をキャンセルしました。"), "success")
        return redirect(links["detail"])
    return render_template("consultations/cancel.html", c=consultation, links=links,
                           late=past_cutoff_for(actor, consultation, now))  # fmt: skip


@bp.route("/<int:consultation_id>/reschedule", methods=["GET", "POST"])
@bp.route("/m/<token>/reschedule", methods=["GET", "POST"], endpoint="reschedule_by_link")
def reschedule(consultation_id: int | None = None, token: str | None = None):
    consultation, actor = _resolve(consultation_id, token)
    links = _links(consultation, token)
    now = now_utc()
    source = request.form if request.method == "POST" else request.args
    if source.get("start"):
        try:
            start = parse_local(source["start"])
        except ValueError:
            abort(404)
        if request.method == "GET":
            end = start + timedelta(minutes=consultation.theme.slot_minutes)
            return render_template("consultations/reschedule_confirm.html", c=consultation,
                                   links=links, start=start, end=end)  # fmt: skip
        with refusals():
            reschedule_consultation(consultation, start, now, actor)
            flash(_("ご予約の日時を変更しました。"), "success")
            return redirect(links["detail"])
        return redirect(links["reschedule"])
    monday = parse_week(request.args.get("week"), _first_free_day(
        consultation.theme, now, channel_slug=consultation.channel.slug,
        advisor_id=consultation.advisor_id, exclude_consultation_id=consultation.id))  # fmt: skip
    start, end = week_bounds(monday)
    slots = free_slots(
        consultation.theme, start, end, now, channel_slug=consultation.channel.slug,
        advisor_id=consultation.advisor_id, exclude_consultation_id=consultation.id,
    )  # fmt: skip
    return render_template(
        "consultations/reschedule.html", c=consultation, links=links,
        grid=week_grid(monday, slots), monday=monday,
        blocked=past_cutoff_for(actor, consultation, now),
        prev_week=(monday - timedelta(days=7)).isoformat(),
        next_week=(monday + timedelta(days=7)).isoformat(),
    )  # fmt: skip
