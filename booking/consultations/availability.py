"""Advisors publish their availability: weekly intervals and dated exceptions."""

from __future__ import annotations

from datetime import date, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from booking.consultations.models import Advisor, AvailabilityException, WeeklyAvailability
from booking.errors import Invalid, NotFound
from booking.extensions import db


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
    advisor: Advisor, day: date, kind: str, starts: time | None, ends: time | None, note: str = ""
) -> AvailabilityException:
    """A day off (whole or part) or extra hours.

    :raises Invalid: unknown kind, extra hours without times, or the end not after the start.
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
    return row


def remove_availability(advisor: Advisor, model, row_id: int) -> None:
    """Delete one weekly interval or exception of this advisor. :raises NotFound: not theirs."""
    row = db.session.get(model, row_id)
    if row is None or row.advisor_id != advisor.id:
        raise NotFound(_l("見つかりません。"))
    db.session.delete(row)
    db.session.flush()
