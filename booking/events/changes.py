"""Changing an event: fields, time and place (with notices), cancellation, closures."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from booking.errors import Invalid, NotAllowed
from booking.events import audit, notices
from booking.events.authoring import check_times, new_frame
from booking.events.frames import apply_frame
from booking.events.models import ACTIVE_STATUSES, Event, Frame, Question, Registration
from booking.events.payload import FrameInput
from booking.events.registrations import promote_waitlist
from booking.events.versions import claim
from booking.extensions import db
from booking.org.policy import can_manage
from booking.timefmt import as_utc

# Fields whose change moves calendar entries and is announced to everyone registered.
ANNOUNCED = ("starts_at", "ends_at", "venue_name", "venue_address", "online_url", "format")


def active_registrations(event: Event) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES))
            .order_by(Registration.id)
        )
    )


def _same(a, b) -> bool:
    if isinstance(a, datetime) and isinstance(b, datetime):
        return as_utc(a) == as_utc(b)
    return a == b


def update_event(event: Event, values: dict, by, now: datetime) -> Event:
    """Apply validated values (event_from_payload(partial=True)); announce time/place changes.

    :raises NotAllowed: `by` may not manage the event (or its new unit).
    :raises Invalid: inconsistent values, or a capacity below the confirmed count.
    """
    if not can_manage(by, event) or ("unit" in values and not can_manage(by, values["unit"])):
        raise NotAllowed(_l("このイベントを変更する権限がありません。"))
    claim(event, values.pop("version", None))
    status = values.pop("status", None)
    frames = values.pop("frames", None)
    questions = values.pop("questions", None)
    tags = values.pop("tags", None)
    values.pop("sessions", None)
    announced = [k for k in ANNOUNCED if k in values and not _same(getattr(event, k), values[k])]
    was = {"when": audit.when_of(event), "venue": event.venue_name}
    for key, value in values.items():
        setattr(event, key, value)
    check_times(event)
    if frames is not None:
        _apply_frames(event, frames, now, by)
    if questions is not None:
        _apply_questions(event, questions)
    if tags is not None:
        event.tags = tags
    event.updated_at = now
    if announced:
        announce(event, now, "time" if {"starts_at", "ends_at"} & set(announced) else "place")
        audit.record_event_change(
            event, "event_change", by=by, now=now, before=was,
            after={"when": audit.when_of(event), "venue": event.venue_name},
        )  # fmt: skip
    if status == "cancelled" and event.status != "cancelled":
        cancel_event(event, by, now)
    elif status in ("draft", "published"):
        if status == "draft" and event.status == "published" and active_registrations(event):
            raise Invalid(_l("申込のあるイベントは非公開に戻せません。"), field="status")
        if event.status == "cancelled" and status != "cancelled":
            raise Invalid(_l("中止したイベントは再開できません。"), field="status")
        event.status = status
    db.session.flush()
    return event


def _apply_frames(event: Event, frames: list[FrameInput], now: datetime, by) -> None:
    by_id = {f.id: f for f in event.frames}
    for i, data in enumerate(frames):
        frame = by_id.get(data.id) if data.id else None
        if data.id and frame is None:
            raise Invalid(_l("参加枠が見つかりません。"), field="frames")
        if frame is None:
            event.frames.append(new_frame(data, len(event.frames) + i))
            continue
        try:
            apply_frame(frame, data, now, by)
        except Invalid as exc:
            exc.field = "frames"
            raise


def _apply_questions(event: Event, questions: list[dict]) -> None:
    has_answers = db.session.scalar(
        select(Registration.id).where(Registration.event_id == event.id).limit(1)
    )
    if has_answers:
        raise Invalid(_l("申込のあるイベントの質問は変更できません。"), field="questions")
    event.questions = [Question(position=i, **q) for i, q in enumerate(questions)]


def announce(event: Event, now: datetime, what: str) -> None:
    """Bump every SEQUENCE, re-time reminders and tell everyone registered (`what`: time,
    place, online or sessions — the mail says which)."""
    event.sequence += 1
    db.session.flush()
    for reg in active_registrations(event):
        reg.sequence += 1
        reg.updated_at = now
        db.session.flush()
        notices.changed(reg, now, what)


def cancel_event(event: Event, by, now: datetime) -> int:
    """Cancel the event and every active registration; everyone is told. Returns how many."""
    if not can_manage(by, event):
        raise NotAllowed(_l("このイベントを変更する権限がありません。"))
    if event.status == "cancelled":
        return 0
    claim(event)
    event.status = "cancelled"
    event.sequence += 1
    event.updated_at = now
    regs = active_registrations(event)
    for reg in regs:
        reg.status, reg.cancelled_at, reg.active_user_id = "cancelled", now, None
        reg.sequence += 1
        reg.updated_at = now
        db.session.flush()
        notices.cancelled(reg, now, kind="event_cancelled")
    for frame in event.frames:
        frame.taken = 0
    db.session.flush()
    audit.record_event_change(event, "event_cancel", by=by, now=now,
                              after={"affected": len(regs)})  # fmt: skip
    return len(regs)


def move_online(event: Event, by, now: datetime, online_url: str) -> int:
    """Closure (typhoon warning…): the whole event goes online; in-person people move along.

    In-person registrations join the first online frame (created with room for them if
    missing); everyone is told and every calendar entry updates. Returns how many moved.
    """
    if not can_manage(by, event):
        raise NotAllowed(_l("このイベントを変更する権限がありません。"))
    if not online_url.startswith(("https://", "http://")):
        raise Invalid(_l("オンラインのURLは https:// で始めてください。"), field="online_url")
    claim(event)
    online = next((f for f in event.frames if f.mode == "online"), None)
    in_person = [f for f in event.frames if f.mode == "in_person"]
    moving = [r for r in active_registrations(event) if r.frame.mode == "in_person"]
    if online is None:
        online = Frame(name="オンライン参加", mode="online", capacity=0, audience="all",
                       position=len(event.frames), taken=0)  # fmt: skip
        event.frames.append(online)
        db.session.flush()
    confirmed = sum(1 for r in moving if r.status == "confirmed")
    online.capacity += sum(f.capacity for f in in_person)
    online.taken += confirmed
    for frame in in_person:
        frame.taken, frame.capacity = 0, 0
    event.format, event.online_url = "online", online_url
    event.venue_name = event.venue_address = event.venue_access = ""
    db.session.flush()
    for reg in moving:
        reg.frame_id = online.id
        reg.frame = online
    db.session.flush()
    announce(event, now, "online")
    promote_waitlist(online.id, now)  # the online frame may have room for those waiting
    audit.record_event_change(event, "event_online", by=by, now=now)
    return len(moving)


def reschedule(event: Event, by, now: datetime, starts_at: datetime, ends_at: datetime) -> Event:
    """Closure: a new date for the whole event, announced to everyone."""
    return update_event(event, {"starts_at": starts_at, "ends_at": ends_at}, by, now)
