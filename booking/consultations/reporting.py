"""Staff views of consultations: advisor schedules, consultation days, per-branch counts, CSV."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from booking.consultations.models import (
    Advisor,
    Channel,
    Consultation,
    ConsultationDay,
    Theme,
)
from booking.errors import Invalid
from booking.extensions import db
from booking.org.models import Unit
from booking.timefmt import format_when, to_local


def schedule(advisor: Advisor, start: datetime, end: datetime) -> list[Consultation]:
    """An advisor's active bookings in [start, end), with members, for the day / week grids."""
    return list(
        db.session.scalars(
            select(Consultation)
            .where(
                Consultation.advisor_id == advisor.id,
                Consultation.status == "booked",
                Consultation.starts_at >= start,
                Consultation.starts_at < end,
            )
            .options(selectinload(Consultation.member))
            .order_by(Consultation.starts_at)
        )
    )


def create_consultation_day(
    *,
    title: str,
    day: date,
    starts: time,
    ends: time,
    branch: Unit,
    advisors: list[Advisor],
    venue_name: str = "",
    venue_address: str = "",
    theme: Theme | None = None,
) -> ConsultationDay:
    """Publish a 出張相談会: counter slots at one location, staffed by several advisors.

    :raises Invalid: no advisors, or the end is not after the start.
    """
    if not advisors:
        raise Invalid(_l("担当する相談員を選んでください。"), field="advisors")
    if ends <= starts:
        raise Invalid(_l("終了時刻は開始時刻より後にしてください。"), field="ends")
    cday = ConsultationDay(
        title=title.strip(), day=day, starts=starts, ends=ends, branch=branch,
        venue_name=venue_name.strip(), venue_address=venue_address.strip(), theme=theme,
    )  # fmt: skip
    cday.advisors = list(advisors)
    db.session.add(cday)
    db.session.flush()
    return cday


def upcoming_days(today: date) -> list[ConsultationDay]:
    return list(
        db.session.scalars(
            select(ConsultationDay)
            .where(ConsultationDay.day >= today)
            .order_by(ConsultationDay.day, ConsultationDay.starts)
        )
    )


def _period(query, branch_id, start, end):
    query = query.where(Consultation.starts_at >= start, Consultation.starts_at < end)
    if branch_id is not None:
        query = query.where(Consultation.branch_id == branch_id)
    return query


def overview(branch_id: int | None, start: datetime, end: datetime) -> dict:
    """Counts for monthly reporting: by theme × channel (booked), plus cancellations."""
    rows = db.session.execute(
        _period(
            select(Theme.name, Channel.name, Consultation.status,
                   Consultation.late_cancellation, func.count())
            .join(Theme, Theme.id == Consultation.theme_id)
            .join(Channel, Channel.id == Consultation.channel_id)
            .group_by(Theme.name, Channel.name, Consultation.status,
                      Consultation.late_cancellation),
            branch_id, start, end,
        )
    ).all()  # fmt: skip
    table: dict[str, dict[str, int]] = {}
    channels_seen: list[str] = [
        c.name for c in db.session.scalars(select(Channel).order_by(Channel.position))
    ]
    booked = cancelled = late = 0
    for theme, channel, status, is_late, n in rows:
        if status == "booked":
            table.setdefault(theme, dict.fromkeys(channels_seen, 0))[channel] += n
            booked += n
        else:
            cancelled += n
            late += n if is_late else 0
    return {"table": table, "channels": channels_seen, "booked": booked,
            "cancelled": cancelled, "late": late}  # fmt: skip


def overview_table(branch_id: int | None, start: datetime, end: datetime) -> tuple[list, list]:
    """(header, rows) of every consultation of the period, in the active locale.

    Members' own words (topic, name, company) go in as typed: the CSV writer neutralises them.
    """
    locale = str(get_locale() or "ja")
    header = [_("受付番号"), _("日時"), _("テーマ"), _("相談方法"), _("支部"), _("担当"),
              _("会社名"), _("会員番号"), _("氏名"), _("状態"), _("期限後キャンセル"), _("出席"),
              _("ご相談の概要")]  # fmt: skip
    attendance = {"attended": _("出席"), "no_show": _("無断欠席")}
    booked, cancelled = _("予約"), _("キャンセル済み")
    rows = []
    for c in db.session.scalars(
        _period(select(Consultation), branch_id, start, end).order_by(Consultation.starts_at)
    ):
        company = c.member.company
        rows.append([
            f"C-{c.id:06d}", format_when(c.starts_at, c.ends_at, locale), c.theme.name,
            c.channel.name, c.branch.name if c.branch else "", c.advisor.name,
            company.name if company else "", company.member_no if company else "",
            c.member.full_name, booked if c.active else cancelled,
            "○" if c.late_cancellation else "",
            attendance.get(c.record.attendance, "") if c.record else "", c.topic,
        ])  # fmt: skip
    return header, rows


def today_by_branch(now: datetime) -> list[tuple[str, int]]:
    """Today's (local day) active consultations per branch, for the staff dashboard."""
    from booking.timefmt import local_zone

    start = datetime.combine(to_local(now).date(), time(0), tzinfo=local_zone())
    end = start + timedelta(days=1)
    rows = db.session.execute(
        select(Unit.name, func.count())
        .select_from(Consultation)
        .outerjoin(Unit, Unit.id == Consultation.branch_id)
        .where(Consultation.status == "booked", Consultation.starts_at >= start,
               Consultation.starts_at < end)
        .group_by(Unit.name)
        .order_by(Unit.name)
    ).all()  # fmt: skip
    return [(name or _l("本部"), n) for name, n in rows]


def local_hour(value: datetime) -> str:
    return to_local(value).strftime("%H:%M")
