"""Business meetings (商談): book, cancel, and who may see which. Callers commit once.

The no-double-booking guarantee: a booking takes a row lock on the visitor's users row, then
on the exhibitor's row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE`
already serialises writers), and only then looks for an overlapping booked meeting of the
exhibitor (within the buffer) and of the visitor (with any exhibitor), inside the same
transaction. Locks are always taken in that order (user, then exhibitor), so two bookings
never wait for each other in a circle. The loser of a race sees the winner's row.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.accounts.models import User
from booking.errors import Conflict, Invalid, NotAllowed, NotFound, SlotTaken
from booking.events.models import Registration
from booking.exhibitions.lookup import public_exhibition, public_exhibitor
from booking.exhibitions.meetings.leads import record_consent
from booking.exhibitions.meetings.mails import announce
from booking.exhibitions.meetings.slots import free_meeting_slots
from booking.exhibitions.models import MEETING_MODES, Exhibitor, Meeting
from booking.exhibitions.policy import acts_for, meeting_cancel_refusal, meeting_side
from booking.extensions import db
from booking.timefmt import as_utc, local_zone

TOPIC_MAX = 200


class VisitorBusy(Conflict):
    code = "visitor_busy"


def bookable_exhibitor(exhibitor_id) -> Exhibitor:
    """An accepted exhibitor of a published exhibition. :raises NotFound: otherwise."""
    exhibitor = db.session.get(Exhibitor, exhibitor_id) if isinstance(exhibitor_id, int) else None
    if exhibitor is None:
        raise NotFound()
    exhibition = public_exhibition(exhibitor.exhibition_id)
    return public_exhibitor(exhibition, exhibitor.id)


def visitor_registration(exhibitor: Exhibitor, user: User) -> Registration | None:
    """The user's confirmed registration for the fair's visitor event, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(Registration).where(
            Registration.event_id == exhibitor.exhibition.event_id,
            Registration.user_id == user.id,
            Registration.status == "confirmed",
        )
    )


def _lock(visitor_id: int, exhibitor_id: int) -> None:
    db.session.execute(select(User.id).where(User.id == visitor_id).with_for_update())
    db.session.execute(select(Exhibitor.id).where(Exhibitor.id == exhibitor_id).with_for_update())


def _exhibitor_busy(exhibitor: Exhibitor, start: datetime, end: datetime) -> bool:
    pad = timedelta(minutes=exhibitor.exhibition.meeting_buffer_minutes)
    return (
        db.session.scalar(
            select(Meeting.id)
            .where(
                Meeting.exhibitor_id == exhibitor.id,
                Meeting.status == "booked",
                Meeting.starts_at < end + pad,
                Meeting.ends_at > start - pad,
            )
            .limit(1)
        )
        is not None
    )


def _visitor_clash(visitor_id: int, start: datetime, end: datetime) -> Meeting | None:
    return db.session.scalar(
        select(Meeting)
        .where(
            Meeting.visitor_id == visitor_id,
            Meeting.status == "booked",
            Meeting.starts_at < end,
            Meeting.ends_at > start,
        )
        .limit(1)
    )


def book_meeting(
    visitor: User,
    exhibitor: Exhibitor,
    start: datetime,
    mode: str,
    now: datetime,
    *,
    topic: str = "",
    share_contact: bool = False,
) -> Meeting:
    """Book one free slot of `exhibitor` for `visitor`; with `share_contact`, record consent.

    :raises NotAllowed: no confirmed registration for the fair, or the visitor acts for the
        exhibitor.
    :raises Invalid: unknown mode, not a slot, past, or booking already closed for it.
    :raises SlotTaken: someone got the slot first.
    :raises VisitorBusy: the visitor has another meeting at that time.
    """
    if acts_for(visitor, exhibitor):
        raise NotAllowed(_l("自社の出展者とは商談を予約できません。"), code="own_exhibitor")
    if visitor_registration(exhibitor, visitor) is None:
        raise NotAllowed(
            _l("商談の予約には、この展示会への来場登録（確定）が必要です。"),
            code="not_registered",
        )
    if mode not in MEETING_MODES:
        raise Invalid(_l("商談の方法を選んでください。"), field="mode", code="bad_mode")
    start = as_utc(start)
    exhibition = exhibitor.exhibition
    grid = free_meeting_slots(
        exhibitor, start, start + timedelta(minutes=1), now, mode,
        ignore_window=True, ignore_bookings=True,
    )  # fmt: skip
    slot = next((s for s in grid if s.start == start), None)
    if slot is None:
        raise Invalid(_l("その日時は商談の受付時間外です。"), field="start", code="not_a_slot")
    if start <= now:
        raise Invalid(_l("過去の日時は予約できません。"), field="start", code="slot_in_past")
    if start < now + timedelta(minutes=exhibition.meeting_notice_minutes):
        raise Invalid(
            _l("商談の予約は開始の%(minutes)s分前までです。",
               minutes=exhibition.meeting_notice_minutes),
            field="start", code="too_soon",
        )  # fmt: skip
    _lock(visitor.id, exhibitor.id)
    if _exhibitor_busy(exhibitor, slot.start, slot.end):
        raise SlotTaken(_l("この枠はたった今、ほかの方が予約されました。別の枠をお選びください。"))
    clash = _visitor_clash(visitor.id, slot.start, slot.end)
    if clash is not None:
        raise VisitorBusy(
            _l("同じ時間に、すでに「%(name)s」との商談を予約されています。別の時間をお選びください。",
               name=clash.exhibitor.name),
        )  # fmt: skip
    meeting = Meeting(
        exhibition_id=exhibitor.exhibition_id, exhibitor_id=exhibitor.id, visitor_id=visitor.id,
        starts_at=slot.start, ends_at=slot.end, mode=slot.mode,
        topic=(topic or "").strip()[:TOPIC_MAX], created_at=now, updated_at=now,
    )  # fmt: skip
    db.session.add(meeting)
    db.session.flush()
    if share_contact:
        record_consent(exhibitor, visitor, "meeting", now)
    announce(meeting, "booked", now)
    return meeting


def cancel_meeting(meeting: Meeting, now: datetime, actor: User | None, by: str) -> None:
    """Cancel (`by` is "visitor" or "exhibitor"); the slot frees at once.

    :raises NotAllowed: already cancelled, or already started.
    """
    refusal = meeting_cancel_refusal(meeting, now)
    if refusal is not None:
        raise refusal
    meeting.status = "cancelled"
    meeting.cancelled_at = now
    meeting.cancelled_by_id = actor.id if actor else None
    meeting.sequence += 1
    meeting.updated_at = now
    db.session.flush()
    announce(meeting, "cancelled", now, by=by)


# ---- who may see what


def meeting_for(user, meeting_id) -> tuple[Meeting, str]:
    """(meeting, side) for its visitor or the exhibitor's users. :raises NotFound: others."""
    meeting = db.session.get(Meeting, meeting_id) if isinstance(meeting_id, int) else None
    side = meeting_side(user, meeting) if meeting is not None else None
    if side is None:
        raise NotFound()
    return meeting, side


def meetings_of_visitor(user: User) -> list[Meeting]:
    """Every meeting the person booked (cancelled and past ones too), for My Page."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.visitor_id == user.id)
            .options(selectinload(Meeting.exhibitor).selectinload(Exhibitor.company))
            .order_by(Meeting.starts_at)
        )
    )


def day_meetings(exhibitor: Exhibitor, day: date) -> list[Meeting]:
    """The exhibitor's booked meetings on one local day, in time order."""
    zone = local_zone()
    lo = datetime.combine(day, time(0), tzinfo=zone)
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.exhibitor_id == exhibitor.id,
                Meeting.status == "booked",
                Meeting.starts_at >= lo,
                Meeting.starts_at < lo + timedelta(days=1),
            )
            .options(selectinload(Meeting.visitor).selectinload(User.company))
            .order_by(Meeting.starts_at)
        )
    )


def meeting_still_holds(ref: int, version: int | None, now: datetime) -> bool:
    """A meeting mail still applies if nothing changed since it was planned."""
    meeting = db.session.get(Meeting, ref)
    if meeting is None:
        return False
    return version is None or meeting.sequence == version
