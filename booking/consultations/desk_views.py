"""Advisor and staff pages: schedule grids, booking for a member, consultation days, records,
follow-ups and the per-branch overview with CSV."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from booking.accounts.models import User
from booking.accounts.policy import may_book_for
from booking.accounts.services import user_by_email
from booking.consultations.availability import (
    add_exception,
    add_weekly_interval,
    remove_availability,
    upcoming_exceptions,
    weekly_intervals,
)
from booking.consultations.cases import follow_into_case
from booking.consultations.catalogue import advisor_for_user, channels, theme_by_slug, themes
from booking.consultations.forms import (
    WEEKDAYS,
    ConsultationDayForm,
    ExceptionForm,
    RecordForm,
    StaffBookingForm,
    WeeklyIntervalForm,
)
from booking.consultations.grid import parse_week, week_bounds, week_grid
from booking.consultations.models import (
    Advisor,
    AvailabilityException,
    Consultation,
    WeeklyAvailability,
)
from booking.consultations.policy import (
    may_book_follow_up,
    may_edit_advisor,
    may_see_record,
    may_use_desk,
)
from booking.consultations.records import save_record
from booking.consultations.reporting import (
    create_consultation_day,
    overview,
    overview_table,
    schedule,
    upcoming_days,
)
from booking.consultations.services import Intake, book_consultation
from booking.consultations.slots import free_slots
from booking.csvexport import csv_response
from booking.errors import DomainError
from booking.extensions import db, login_manager
from booking.org.models import Unit
from booking.org.services import units_of_kind
from booking.refusals import refusals
from booking.storable import db_int, db_int_or_none
from booking.timefmt import as_utc, local_zone, now_utc, parse_day, parse_local, to_local
from booking.unit_of_work import undo

bp = Blueprint("desk", __name__, url_prefix="/consultations/desk")


def desk_required(staff_only: bool = False):
    """Advisors and staff (or staff only); anyone else gets 404."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not may_use_desk(current_user, staff_only):
                abort(404)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _all_advisors() -> list[Advisor]:
    return list(db.session.scalars(select(Advisor).where(Advisor.active.is_(True))
                                   .order_by(Advisor.id)))  # fmt: skip


@bp.get("/")
@desk_required()
def schedule_view():
    """The advisor's day or week grid (staff choose the advisor)."""
    own = advisor_for_user(current_user)
    advisors = _all_advisors() if current_user.is_staff else ([own] if own else [])
    chosen = request.args.get("advisor", type=db_int)
    advisor = (
        next((a for a in advisors if a.id == chosen), None)
        or own
        or (advisors[0] if advisors else None)
    )
    today = to_local(now_utc()).date()
    view = "day" if request.args.get("view") == "day" else "week"
    try:
        day = parse_day(request.args.get("date") or today.isoformat())
    except ValueError:
        day = today
    if view == "day":
        start = datetime.combine(day, datetime.min.time(), tzinfo=local_zone())
        end = start + timedelta(days=1)
        monday = day
    else:
        monday = parse_week(day.isoformat(), today)
        start, end = week_bounds(monday)
    items = schedule(advisor, start, end) if advisor else []
    grid = week_grid(monday, items, start_of=lambda c: c.starts_at)
    if view == "day":
        grid.days = [day]
    step = timedelta(days=1 if view == "day" else 7)
    return render_template(
        "consultations/desk/schedule.html", advisor=advisor, advisors=advisors, grid=grid,
        view=view, day=day, items=items, prev=(day - step).isoformat(),
        next=(day + step).isoformat(),
        next_up=next((c for c in items if as_utc(c.starts_at) > now_utc()), None),
    )  # fmt: skip


def _chosen_member(form: StaffBookingForm) -> User | None:
    """The member picked in the staff account search (`?member=<id>`, then the form's hidden
    field); 404 for an id that names no member the desk may book for."""
    if request.method == "GET":
        form.member.data = request.args.get("member", "")
    if not form.member.data:
        return None
    member_id = db_int_or_none(form.member.data)
    member = db.session.get(User, member_id) if member_id else None
    if member is None or not may_book_for(current_user, member):
        abort(404)
    return member


@bp.route("/book", methods=["GET", "POST"])
@desk_required(staff_only=True)
def book_for_member():
    """Staff book on behalf of a member (a phone request); the time typed is Tokyo time.

    The member is picked from the account search (the person's page links here with
    `?member=<id>`); typing their e-mail still works."""
    form = StaffBookingForm().fill(themes(), channels(), _all_advisors())
    chosen = _chosen_member(form)
    problem = None
    if form.validate_on_submit():
        member = chosen or user_by_email(form.member_email.data)
        if member is None:
            form.member_email.errors.append(_("このメールアドレスの会員は見つかりません。"))
        else:
            start = datetime.combine(form.day.data, form.time.data, tzinfo=local_zone())
            try:
                consultation = book_consultation(
                    member, theme_by_slug(form.theme.data), form.channel.data, start, now_utc(),
                    advisor_id=int(form.advisor.data) if form.advisor.data else None,
                    intake=Intake(form.topic.data, form.situation.data or "",
                                  form.goal.data or ""),
                    booked_by=current_user,
                )  # fmt: skip
            except DomainError as exc:
                undo()  # the page shows why, above the form (`problem`)
                problem = exc
            else:
                flash(_("代理予約を登録しました。"), "success")
                return redirect(url_for("consultations.detail", consultation_id=consultation.id))
    status = 422 if (form.errors or problem) else 200
    return render_template("consultations/desk/book.html", form=form, problem=problem,
                           chosen=chosen), status  # fmt: skip


@bp.route("/days", methods=["GET", "POST"])
@desk_required(staff_only=True)
def days():
    """出張相談会: publish a day of counter slots at a location, staffed by several advisors."""
    advisors = _all_advisors()
    form = ConsultationDayForm().fill(units_of_kind("branch"), themes(), advisors)
    problem = None
    if form.validate_on_submit():
        chosen = {int(x) for x in form.advisors.data}
        try:
            create_consultation_day(
                title=form.title.data, day=form.day.data, starts=form.starts.data,
                ends=form.ends.data, branch=db.session.get(Unit, int(form.branch.data)),
                advisors=[a for a in advisors if a.id in chosen],
                venue_name=form.venue_name.data or "", venue_address=form.venue_address.data or "",
                theme=next((t for t in themes() if str(t.id) == form.theme.data), None),
            )  # fmt: skip
        except DomainError as exc:
            undo()  # the page lists the days below: it must not show the refused one
            problem = exc
        else:
            flash(_("出張相談会を公開しました。"), "success")
            return redirect(url_for("desk.days"))
    status = 422 if (form.errors or problem) else 200
    return render_template("consultations/desk/days.html", form=form, problem=problem,
                           days=upcoming_days(to_local(now_utc()).date())), status  # fmt: skip


def _consultation_for_record(consultation_id: int) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or not may_see_record(current_user, consultation):
        abort(404)
    return consultation


@bp.route("/<int:consultation_id>/record", methods=["GET", "POST"])
@desk_required()
def record(consultation_id: int):
    """相談記録: the advisor and staff of the consultation's branch only."""
    consultation = _consultation_for_record(consultation_id)
    form = RecordForm(obj=consultation.record)
    if form.validate_on_submit():
        save_record(
            consultation, current_user, attendance=form.attendance.data,
            outcome=form.outcome.data, follow_up=form.follow_up.data or "",
            next_step=form.next_step.data or "", now=now_utc(),
        )  # fmt: skip
        flash(_("相談記録を保存しました。"), "success")
        return redirect(url_for("consultations.detail", consultation_id=consultation.id))
    return render_template("consultations/desk/record.html", form=form, c=consultation), (
        422 if form.errors else 200
    )


@bp.route("/<int:consultation_id>/follow-up", methods=["GET", "POST"])
@desk_required()
def follow_up(consultation_id: int):
    """Book the next session with the same advisor, theme and channel in one click."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or not may_book_follow_up(current_user, consultation):
        abort(404)
    now = now_utc()
    if request.method == "POST":
        again = redirect(url_for("desk.follow_up", consultation_id=consultation_id))
        try:
            start = parse_local(request.form.get("start", ""))
        except ValueError:
            flash(_("その日時は予約できません。"), "error")
            return again
        with refusals():
            new = book_consultation(
                consultation.member, consultation.theme, consultation.channel.slug, start, now,
                advisor_id=consultation.advisor_id, booked_by=current_user,
                follow_up_of=consultation,
                intake=Intake(_("フォローアップ: %(topic)s", topic=consultation.topic)[:200],
                              consultation.situation, consultation.goal,
                              dict(consultation.answers or {})),
            )  # fmt: skip
            follow_into_case(new, consultation, current_user, now)
            flash(_("フォローアップの相談を予約しました。"), "success")
            return redirect(url_for("consultations.detail", consultation_id=new.id))
        return again
    slots = free_slots(
        consultation.theme, now, now + timedelta(days=28), now,
        channel_slug=consultation.channel.slug, advisor_id=consultation.advisor_id,
        ignore_window=True,
    )  # fmt: skip
    slots = [s for s in slots if s.start > now][:12]
    return render_template("consultations/desk/follow_up.html", c=consultation, slots=slots)


def _month(value: str | None) -> tuple[date, datetime, datetime]:
    today = to_local(now_utc()).date()
    try:
        first = parse_day(f"{value}-01") if value else today.replace(day=1)
    except ValueError:
        first = today.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    zone = local_zone()
    return (first, datetime.combine(first, datetime.min.time(), tzinfo=zone),
            datetime.combine(nxt, datetime.min.time(), tzinfo=zone))  # fmt: skip


def _branch_filter() -> Unit | None:
    slug = request.args.get("branch")
    if slug:
        unit = db.session.scalar(select(Unit).where(Unit.kind == "branch", Unit.slug == slug))
        if unit is None:
            abort(404)
        return unit
    unit = current_user.unit
    return unit if unit is not None and unit.kind == "branch" else None


@bp.get("/overview")
@desk_required(staff_only=True)
def overview_view():
    branch = _branch_filter()
    first, start, end = _month(request.args.get("month"))
    data = overview(branch.id if branch else None, start, end)
    return render_template(
        "consultations/desk/overview.html", data=data, branch=branch, month=first,
        branches=units_of_kind("branch"),
    )  # fmt: skip


@bp.get("/overview.csv")
@desk_required(staff_only=True)
def overview_export():
    branch = _branch_filter()
    first, start, end = _month(request.args.get("month"))
    header, rows = overview_table(branch.id if branch else None, start, end)
    name = f"consultations-{branch.slug if branch else 'all'}-{first:%Y-%m}.csv"
    return csv_response(header, rows, name)


def _advisor_to_edit() -> Advisor:
    """The signed-in advisor, or (staff) the one asked for: another unit's answers 404."""
    if current_user.is_staff and request.values.get("advisor", type=db_int):
        advisor = db.session.get(Advisor, request.values.get("advisor", type=db_int))
    else:
        advisor = advisor_for_user(current_user)
    if advisor is None or not may_edit_advisor(current_user, advisor):
        abort(404)
    return advisor


@bp.route("/availability", methods=["GET", "POST"])
@desk_required()
def availability():
    """Weekly hours and dated exceptions (days off, extra hours) of one advisor."""
    advisor = _advisor_to_edit()
    weekly_form = WeeklyIntervalForm(prefix="w").fill(channels())
    exception_form = ExceptionForm(prefix="x")
    problem = None
    action = request.form.get("action")
    try:
        if action == "add_weekly" and weekly_form.validate_on_submit():
            add_weekly_interval(
                advisor, int(weekly_form.weekday.data), weekly_form.starts.data,
                weekly_form.ends.data,
                channel_id=int(weekly_form.channel.data) if weekly_form.channel.data else None,
            )  # fmt: skip
        elif action == "add_exception" and exception_form.validate_on_submit():
            add_exception(advisor, exception_form.day.data, exception_form.kind.data,
                          exception_form.starts.data, exception_form.ends.data,
                          exception_form.note.data or "", now=now_utc())  # fmt: skip
        elif action in ("remove_weekly", "remove_exception"):
            model = WeeklyAvailability if action == "remove_weekly" else AvailabilityException
            remove_availability(advisor, model, request.form.get("id", type=db_int) or 0,
                                now=now_utc())  # fmt: skip
        else:
            action = None
    except DomainError as exc:
        undo()  # the page lists the hours below: it must not show the refused change
        problem, action = exc.message, None
    if action:
        flash(_("受付時間を更新しました。"), "success")
        return redirect(url_for("desk.availability", advisor=advisor.id))
    status = 422 if (weekly_form.errors or exception_form.errors or problem) else 200
    return render_template(
        "consultations/desk/availability.html", advisor=advisor, weekly_form=weekly_form,
        exception_form=exception_form, problem=problem, weekdays=WEEKDAYS,
        weekly=weekly_intervals(advisor),
        exceptions=upcoming_exceptions(advisor, to_local(now_utc()).date()),
    ), status  # fmt: skip
