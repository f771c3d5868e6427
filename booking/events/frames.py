"""Participation frames (参加枠) after an event is created: add, change, reorder, close,
reopen and delete them — the rules the staff pages and the API share.

A frame with registrations is never deleted (the registrations and their history would go
with it): it is closed instead, and takes no more registrations. Capacity goes through
`registrations.change_capacity` (never below the confirmed count; a rise promotes the
waitlist at once). Every change counts as a change of the event (`versions.claim`).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from booking.errors import Conflict, Invalid, NotAllowed
from booking.events.authoring import new_frame
from booking.events.models import ACTIVE_STATUSES, Event, Frame, Registration
from booking.events.payload import FrameInput
from booking.events.registrations import change_capacity, promote_waitlist
from booking.events.staff_actions import change_capacity_by
from booking.events.versions import claim
from booking.extensions import db
from booking.org.policy import can_manage

MAX_FRAMES = 20


def registrations_in(frame: Frame, statuses=None) -> int:
    """How many registrations the frame holds (of `statuses`; any, cancelled ones too)."""
    query = select(func.count()).select_from(Registration).where(Registration.frame_id == frame.id)
    if statuses:
        query = query.where(Registration.status.in_(statuses))
    return db.session.scalar(query)


def may_delete(frame: Frame) -> bool:
    """A frame nobody ever registered in may be deleted; any other is only closed."""
    return registrations_in(frame) == 0


def _check(by, event: Event) -> None:
    if not can_manage(by, event):
        raise NotAllowed(_l("このイベントを変更する権限がありません。"))
    if event.status == "cancelled":
        raise Conflict(_l("中止したイベントの参加枠は変更できません。"), code="event_cancelled")


def add_frame(event: Event, data: FrameInput, by, now: datetime, version: int | None = None):
    """A new frame at the end of the event's list.

    :raises NotAllowed | Conflict: `by` may not, the event is cancelled, too many frames.
    :raises StaleEdit: someone changed the event since `version`.
    """
    _check(by, event)
    claim(event, version)
    if len(event.frames) >= MAX_FRAMES:
        raise Invalid(_l("参加枠は%(n)s件までです。", n=MAX_FRAMES), field="name")
    position = max((f.position for f in event.frames), default=-1) + 1
    frame = new_frame(data, position)
    event.frames.append(frame)
    event.updated_at = now
    db.session.flush()
    return frame


def apply_frame(frame: Frame, data: FrameInput, now: datetime, by=None) -> list[Registration]:
    """Set a frame's fields from `data`; returns the people promoted by a larger capacity.

    :raises Invalid: lottery switched with registrations or after the draw; capacity below
        the confirmed count (`change_capacity`).
    """
    if frame.lottery != data.lottery:
        if frame.lottery_drawn_at is not None:
            raise Invalid(_l("抽選を実施した参加枠の抽選設定は変更できません。"), field="lottery")
        if registrations_in(frame, ACTIVE_STATUSES):
            raise Invalid(_l("申込のある参加枠の抽選設定は変更できません。"), field="lottery")
    if frame.mode != data.mode and registrations_in(frame, ACTIVE_STATUSES):
        # Their pass, join URL and calendar entry follow the mode: move them with a closure
        # (オンライン開催に切り替える) or add a frame instead.
        raise Invalid(_l("申込のある参加枠の参加方法は変更できません。"), field="mode")
    frame.name, frame.mode, frame.audience = data.name, data.mode, data.audience
    frame.per_company_limit, frame.waitlist, frame.lottery = (
        data.per_company_limit, data.waitlist, data.lottery,
    )  # fmt: skip
    frame.price_label, frame.opens_at, frame.closes_at = (
        data.price_label, data.opens_at, data.closes_at,
    )  # fmt: skip
    db.session.flush()
    if frame.capacity != data.capacity:
        if by is None:
            return change_capacity(frame, data.capacity, now)
        return change_capacity_by(frame, data.capacity, now, by=by)  # kept in the audit log
    # A per-company limit raised may let someone waiting take a free seat.
    return promote_waitlist(frame.id, now)


def update_frame(frame: Frame, data: FrameInput, by, now: datetime, version: int | None = None):
    """Change one frame. Returns the people promoted from its waitlist.

    :raises NotAllowed | Conflict | Invalid | StaleEdit: see `apply_frame`, `claim`.
    """
    event = frame.event
    _check(by, event)
    claim(event, version)
    promoted = apply_frame(frame, data, now, by)
    event.updated_at = now
    db.session.flush()
    return promoted


def move_frame(frame: Frame, step: int, by, now: datetime, version: int | None = None) -> None:
    """Move a frame one place up (`step` -1) or down (+1) in the event's list."""
    event = frame.event
    _check(by, event)
    claim(event, version)
    frames = list(event.frames)
    i = frames.index(frame)
    j = i + (1 if step > 0 else -1)
    if not 0 <= j < len(frames):
        raise Invalid(_l("これ以上移動できません。"))
    frames[i], frames[j] = frames[j], frames[i]
    for position, f in enumerate(frames):
        f.position = position
    event.updated_at = now
    db.session.flush()
    db.session.expire(event, ["frames"])


def close_frame(frame: Frame, by, now: datetime, version: int | None = None) -> None:
    """Stop taking registrations in the frame; those it holds keep their seats.

    :raises Conflict: already closed.
    """
    event = frame.event
    _check(by, event)
    claim(event, version)
    if frame.closed_at is not None:
        raise Conflict(_l("この参加枠は既に締め切られています。"), code="frame_closed")
    frame.closed_at = now
    event.updated_at = now
    db.session.flush()


def reopen_frame(frame: Frame, by, now: datetime, version: int | None = None) -> None:
    """Take registrations in a closed frame again (within its own window)."""
    event = frame.event
    _check(by, event)
    claim(event, version)
    if frame.closed_at is None:
        raise Conflict(_l("この参加枠は受付中です。"), code="frame_open")
    frame.closed_at = None
    event.updated_at = now
    db.session.flush()


def delete_frame(frame: Frame, by, now: datetime, version: int | None = None) -> None:
    """Delete a frame nobody registered in.

    :raises Conflict: the frame holds registrations (close it instead), or it is the last.
    """
    event = frame.event
    _check(by, event)
    claim(event, version)
    if not may_delete(frame):
        raise Conflict(
            _l(
                "申込のある参加枠は削除できません。受付を締め切る場合は「受付を締め切る」を使ってください。"
            ),
            code="frame_has_registrations",
        )
    if len(event.frames) <= 1:
        raise Conflict(_l("最後の参加枠は削除できません。"), code="last_frame")
    event.frames.remove(frame)
    for position, f in enumerate(event.frames):
        f.position = position
    event.updated_at = now
    db.session.flush()
