"""What a person may do with their registration: join online, move to an online frame,
cancel it; whether its holder came; and which frames and registrations belong to an event.

Pages, the API, calendar feeds, invitations, mails and passes ask these functions and
decide nothing themselves, so a hybrid event's join URL reaches its online attendees only.
The cancelling rule itself is `cancelling.cancel_refusal` (the registration service
enforces it too); joining online and the door pass are `joining`'s, answered here as well.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from booking.errors import NotFound
from booking.events.cancelling import cancel_refusal
from booking.events.joining import attends_online, has_pass, join_url, may_join  # noqa: F401
from booking.events.models import Event, Frame, Registration
from booking.events.notices import registration_still_holds
from booking.events.registrations import audience_allows, frame_state
from booking.extensions import db
from booking.timefmt import as_utc, format_day, local_zone, to_local

# A move needs a seat now: a lottery, a waitlist or a closed window offers none.
_SEATS_NOW = ("open", "few_left")
SWITCHABLE_STATUSES = ("confirmed", "waitlisted")


def online_frames_open_to(reg: Registration | None, now: datetime) -> list[Frame]:
    """Online frames of the event this in-person registration may move to now (seats left)."""
    if reg is None or reg.status not in SWITCHABLE_STATUSES or reg.frame.mode != "in_person":
        return []
    event = reg.event
    if event.status != "published" or not event.online_url:
        return []
    return [
        f
        for f in event.frames
        if f.mode == "online"
        and f.id != reg.frame_id
        and frame_state(f, now) in _SEATS_NOW
        and audience_allows(f, reg.user)
    ]


def may_switch_to_online(reg: Registration | None, now: datetime) -> bool:
    """The registration is of a kind that could move online before the event ends (whether
    seats are left or not: `online_frames_open_to` says where it can go now)."""
    return (
        reg is not None
        and reg.status in SWITCHABLE_STATUSES
        and reg.frame.mode == "in_person"
        and reg.event.status == "published"
        and as_utc(reg.event.ends_at) > now
        and any(f.mode == "online" for f in reg.event.frames)
    )


def can_cancel(reg: Registration, now: datetime) -> bool:
    """The person may cancel (or leave the waitlist) by themselves now."""
    return cancel_refusal(reg, now) is None


def attended(reg: Registration) -> bool:
    """Came to the event: checked in at the door, or (no door online) in an online frame."""
    if reg.status != "confirmed":
        return False
    return reg.checked_in_at is not None or reg.frame.mode == "online"


def attendee_still_holds(ref: int, version: int | None, now: datetime) -> bool:
    """The send-time check of mail after the event: the registration holds and its holder came."""
    if not registration_still_holds(ref, version, now):
        return False
    return attended(db.session.get(Registration, ref))


def event_days(event: Event) -> list[date]:
    """The local dates the event takes place on: each session's, else start to end."""
    spans = [(s.starts_at, s.ends_at) for s in event.sessions] or [(event.starts_at, event.ends_at)]
    days: set[date] = set()
    for start, end in spans:
        day, last = to_local(start).date(), to_local(end).date()
        while day <= last and len(days) < 400:
            days.add(day)
            day += timedelta(days=1)
    return sorted(days)


def check_in_refusal(event: Event, now: datetime) -> str | None:
    """Why the door may not check anyone in now (only on the event's days, in local dates),
    or None."""
    if event.status == "cancelled":
        return _l("このイベントは中止になりました。")
    days = event_days(event)
    today = to_local(now).date()
    if today in days:
        return None
    shown = str(_l("、")).join(format_day(datetime.combine(d, time(12), tzinfo=local_zone()))
                          for d in days[:5])  # fmt: skip
    return _l(
        "受付（チェックイン）はイベントの開催日（%(days)s）にのみ行えます。本日は%(today)sです。",
        days=shown, today=format_day(now),
    )  # fmt: skip


def frame_of(event: Event, frame_id: int) -> Frame:
    """The event's frame with this id. :raises NotFound: no such frame, or another event's."""
    frame = db.session.get(Frame, frame_id)
    if frame is None or frame.event_id != event.id:
        raise NotFound(_l("参加枠が見つかりません。"))
    return frame


def registration_of(event: Event, reg_id: int) -> Registration:
    """The event's registration with this id. :raises NotFound: none, or another event's."""
    reg = db.session.get(Registration, reg_id)
    if reg is None or reg.event_id != event.id:
        raise NotFound(_l("お申し込みが見つかりません。"))
    return reg
