"""Meeting hours an exhibitor publishes: per fair day, at the booth or online.

Hours of one exhibitor never overlap (whatever the mode: the exhibitor is one host), stay
inside the fair's opening hours of that day, and are never removed while meetings are booked
inside them (cancelling those is a decision the exhibitor takes meeting by meeting).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from booking.errors import Conflict, Invalid, NotFound
from booking.exhibitions.lookup import fair_days
from booking.exhibitions.meetings.slots import offered_modes
from booking.exhibitions.models import Exhibition, Exhibitor, Meeting, MeetingHours
from booking.extensions import db
from booking.timefmt import local_zone


def opening_hours(exhibition: Exhibition) -> dict[date, tuple[time, time]]:
    """{fair day: (opens, closes)} in local time, from the event's sessions (else its span)."""
    zone = local_zone()
    event = exhibition.event
    spans = [(s.starts_at, s.ends_at) for s in event.sessions] or [(event.starts_at, event.ends_at)]
    hours: dict[date, tuple[time, time]] = {}
    for day in fair_days(exhibition):
        day_lo = datetime.combine(day, time(0), tzinfo=zone)
        day_hi = day_lo + timedelta(days=1)
        opens, closes = None, None
        for s, e in spans:
            lo, hi = max(s.astimezone(zone), day_lo), min(e.astimezone(zone), day_hi)
            if lo < hi:
                opens = lo if opens is None else min(opens, lo)
                closes = hi if closes is None else max(closes, hi)
        if opens is not None:
            # A span running to midnight closes at 23:59 (times of day stop there).
            hours[day] = (opens.time(), time(23, 59) if closes >= day_hi else closes.time())
    return hours


def hours_of(exhibitor: Exhibitor) -> list[MeetingHours]:
    return list(
        db.session.scalars(
            select(MeetingHours)
            .where(MeetingHours.exhibitor_id == exhibitor.id)
            .order_by(MeetingHours.day, MeetingHours.starts)
        )
    )


def add_hours(exhibitor: Exhibitor, day: date, starts: time, ends: time, mode: str) -> MeetingHours:
    """Publish meeting hours.

    :raises Invalid: not a fair day, outside its opening hours, ends before it starts, or a
        mode the exhibitor does not take part in.
    :raises Conflict: overlaps hours already published.
    """
    if mode not in offered_modes(exhibitor):
        raise Invalid(
            _l("オンライン出展の出展者のみ、オンライン商談の時間を設定できます。")
            if mode == "online"
            else _l("会場出展の出展者のみ、ブースでの商談時間を設定できます。"),
            field="mode",
            code="mode_not_offered",
        )
    opening = opening_hours(exhibitor.exhibition)
    if day not in opening:
        raise Invalid(_l("会期中の日付を選んでください。"), field="day", code="not_a_fair_day")
    if ends <= starts:
        raise Invalid(
            _l("終了時刻は開始時刻より後にしてください。"), field="ends", code="ends_before_start"
        )
    opens, closes = opening[day]
    if starts < opens or ends > closes:
        raise Invalid(
            _l(
                "商談時間は会場の開場時間（%(opens)s〜%(closes)s）の中で設定してください。",
                opens=opens.strftime("%H:%M"),
                closes=closes.strftime("%H:%M"),
            ),
            field="starts",
            code="outside_fair_hours",
        )
    # The exhibitor's row lock serialises two pages adding hours at once.
    db.session.execute(select(Exhibitor.id).where(Exhibitor.id == exhibitor.id).with_for_update())
    clash = db.session.scalar(
        select(MeetingHours.id).where(
            MeetingHours.exhibitor_id == exhibitor.id,
            MeetingHours.day == day,
            MeetingHours.starts < ends,
            MeetingHours.ends > starts,
        )
    )
    if clash is not None:
        raise Conflict(
            _l("すでに設定した商談時間と重なっています。"), field="starts", code="hours_overlap"
        )
    hours = MeetingHours(exhibitor_id=exhibitor.id, day=day, starts=starts, ends=ends, mode=mode)
    db.session.add(hours)
    db.session.flush()
    return hours


def booked_inside(hours: MeetingHours) -> int:
    """Booked meetings of the exhibitor that start inside these hours."""
    zone = local_zone()
    lo = datetime.combine(hours.day, hours.starts, tzinfo=zone)
    hi = datetime.combine(hours.day, hours.ends, tzinfo=zone)
    return len(
        db.session.scalars(
            select(Meeting.id).where(
                Meeting.exhibitor_id == hours.exhibitor_id,
                Meeting.status == "booked",
                Meeting.mode == hours.mode,
                Meeting.starts_at < hi,
                Meeting.ends_at > lo,
            )
        ).all()
    )


def remove_hours(exhibitor: Exhibitor, hours_id: int) -> None:
    """Withdraw hours; refused while meetings are booked inside them.

    :raises NotFound: not hours of this exhibitor.
    :raises Conflict: meetings are booked inside (they are never cancelled silently).
    """
    db.session.execute(select(Exhibitor.id).where(Exhibitor.id == exhibitor.id).with_for_update())
    hours = db.session.get(MeetingHours, hours_id) if isinstance(hours_id, int) else None
    if hours is None or hours.exhibitor_id != exhibitor.id:
        raise NotFound()
    booked = booked_inside(hours)
    if booked:
        raise Conflict(
            _l(
                "この時間には予約済みの商談が%(n)s件あります。先に商談をキャンセルしてから削除してください。",
                n=booked,
            ),
            code="meetings_inside",
        )
    db.session.delete(hours)
    db.session.flush()
