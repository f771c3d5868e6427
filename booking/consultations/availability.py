"""Advisors publish their availability: weekly intervals and dated exceptions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from types import SimpleNamespace

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.consultations.models import (
    Advisor,
    AvailabilityException,
    Consultation,
    WeeklyAvailability,
)
from booking.consultations.slots import free_slots
from booking.errors import Conflict, Invalid, NotFound
from booking.extensions import db
from booking.timefmt import as_utc, format_when, to_local

# Bookings named in a refusal, at most (the rest are counted).
NAMED_AT_MOST = 5


def weekly_intervals(advisor: Advisor) -> list[WeeklyAvailability]:
    return list(
        db.session.scalars(
            select(WeeklyAvailability)
            .where(WeeklyAvailability.advisor_id == advisor.id)
            .order_by(WeeklyAvailability.weekday, WeeklyAvailability.starts)
        )
    )


def upcoming_exceptions(advisor: Advisor, today: date) -> list[AvailabilityException]:
    return list(
        db.session.scalars(
            select(AvailabilityException)
            .where(AvailabilityException.advisor_id == advisor.id,
                   AvailabilityException.day >= today)
            .order_by(AvailabilityException.day, AvailabilityException.starts)
        )
    )  # fmt: skip


def add_weekly_interval(
    advisor: Advisor, weekday: int, starts: time, ends: time,
    channel_id: int | None = None, branch_id: int | None = None,
) -> WeeklyAvailability:  # fmt: skip
    """Add one weekly interval. :raises Invalid: bad weekday or the end is not after the start."""
    if not 0 <= weekday <= 6:
        raise Invalid(_l("曜日を選んでください。"), field="weekday")
    if ends <= starts:
        raise Invalid(_l("終了時刻は開始時刻より後にしてください。"), field="ends")
    row = WeeklyAvailability(advisor_id=advisor.id, weekday=weekday, starts=starts, ends=ends,
                             channel_id=channel_id, branch_id=branch_id)  # fmt: skip
    db.session.add(row)
    db.session.flush()
    return row


def add_exception(
    advisor: Advisor, day: date, kind: str, starts: time | None, ends: time | None,
    note: str = "", *, now: datetime,
) -> AvailabilityException:  # fmt: skip
    """A day off (whole or part) or extra hours.

    :raises Invalid: unknown kind, extra hours without times, or the end not after the start.
    :raises Conflict: the time off holds booked consultations ahead (`refuse_orphaned_bookings`).
    """
    if kind not in ("off", "extra"):
        raise Invalid(_l("種類を選んでください。"), field="kind")
    if (starts is None) != (ends is None) or (kind == "extra" and starts is None):
        raise Invalid(_l("開始時刻と終了時刻を入力してください。"), field="starts")
    if starts is not None and ends <= starts:
        raise Invalid(_l("終了時刻は開始時刻より後にしてください。"), field="ends")
    row = AvailabilityException(advisor_id=advisor.id, day=day, kind=kind, starts=starts,
                                ends=ends, note=note.strip()[:200])  # fmt: skip
    db.session.add(row)
    db.session.flush()
    if kind == "off":
        refuse_orphaned_bookings(advisor, now, lambda d: d == day)
    return row


def remove_availability(advisor: Advisor, model, row_id: int, *, now: datetime) -> None:
    """Delete one weekly interval or exception of this advisor.

    :raises NotFound: not theirs.
    :raises Conflict: booked consultations ahead lie in the hours removed.
    """
    row = db.session.get(model, row_id)
    if row is None or row.advisor_id != advisor.id:
        raise NotFound(_l("見つかりません。"))
    if model is WeeklyAvailability:
        weekday = row.weekday
        touched = lambda d: d.weekday() == weekday  # noqa: E731
    else:
        day = row.day
        touched = lambda d: d == day  # noqa: E731
    db.session.delete(row)
    db.session.flush()
    refuse_orphaned_bookings(advisor, now, touched)


def refuse_orphaned_bookings(
    advisor: Advisor, now: datetime, touched: Callable[[date], bool]
) -> None:
    """The rule for changing an advisor's hours: a change never leaves a booked consultation
    ahead outside them. Asked after the change is flushed (the caller's unit of work undoes
    it on refusal); `touched` picks the local days the change may affect. Members' bookings
    are never moved or cancelled silently: the advisor or staff move them first.

    :raises Conflict: naming the bookings the change would leave outside the hours.
    """
    ahead = db.session.scalars(
        select(Consultation)
        .where(Consultation.advisor_id == advisor.id, Consultation.status == "booked",
               Consultation.starts_at > now)
        .options(selectinload(Consultation.channel), selectinload(Consultation.member))
        .order_by(Consultation.starts_at)
    )  # fmt: skip
    outside = [
        c for c in ahead
        if touched(to_local(c.starts_at).date()) and not _inside_hours(advisor, c, now)
    ]  # fmt: skip
    if not outside:
        return
    named = gettext("、").join(
        f"{format_when(c.starts_at, c.ends_at)} {c.member.full_name}"
        for c in outside[:NAMED_AT_MOST]
    )
    if len(outside) > NAMED_AT_MOST:
        named += gettext("ほか%(n)d件", n=len(outside) - NAMED_AT_MOST)
    raise Conflict(
        gettext(
            "この変更で、次のご予約が受付時間の外になります: %(named)s。先にご予約を変更するかキャンセルしてください。",
            named=named,
        ),
        code="bookings_in_hours",
    )


def _inside_hours(advisor: Advisor, consultation: Consultation, now: datetime) -> bool:
    """Every minute of the booking lies in the advisor's hours (whatever the theme's grid)."""
    probe = SimpleNamespace(id=consultation.theme_id, slot_minutes=1, buffer_minutes=0,
                            active=True)  # fmt: skip
    start, end = as_utc(consultation.starts_at), as_utc(consultation.ends_at)
    minutes = int((end - start).total_seconds() // 60)
    slots = free_slots(
        probe, start, end, now, advisor_id=advisor.id, channel_slug=consultation.channel.slug,
        ignore_window=True, ignore_bookings=True, as_offered=False,
    )  # fmt: skip
    return len({s.start for s in slots}) >= minutes
