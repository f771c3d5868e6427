"""Creating an event with its frames, sessions and questions (the API and the staff pages share it)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from booking.errors import Invalid, NotAllowed
from booking.events.models import Event, EventSession, Frame, Question
from booking.events.payload import FrameInput
from booking.extensions import db
from booking.org.policy import can_manage
from booking.timefmt import as_utc


def check_times(event: Event) -> None:
    if as_utc(event.ends_at) <= as_utc(event.starts_at):
        raise Invalid(_l("終了日時は開始日時より後にしてください。"), field="ends_at")


def create_event(values: dict, by, now: datetime) -> Event:
    """Create an event with its frames, sessions and questions (values from event_from_payload).

    :raises NotAllowed: `by` may not manage the organising unit.
    :raises Invalid: inconsistent values.
    """
    if not can_manage(by, values["unit"]):
        raise NotAllowed(_l("この組織のイベントを作成する権限がありません。"))
    frames = values.pop("frames", [])
    sessions = values.pop("sessions", [])
    questions = values.pop("questions", [])
    tags = values.pop("tags", [])
    values.pop("version", None)  # a new event starts at version 1
    if values.get("status") == "cancelled":
        raise Invalid(_l("中止状態のイベントは作成できません。"), field="status")
    event = Event(**values, created_at=now, updated_at=now)
    check_times(event)
    for i, f in enumerate(frames):
        event.frames.append(new_frame(f, i))
    for start, end, title in sessions:
        event.sessions.append(EventSession(starts_at=start, ends_at=end, title=title))
    if event.sessions:
        event.starts_at = min(s.starts_at for s in event.sessions)
        event.ends_at = max(s.ends_at for s in event.sessions)
    for i, q in enumerate(questions):
        event.questions.append(Question(position=i, **q))
    event.tags = tags
    db.session.add(event)
    db.session.flush()
    return event


def new_frame(f: FrameInput, position: int) -> Frame:
    return Frame(
        position=position, name=f.name, mode=f.mode, capacity=f.capacity, audience=f.audience,
        per_company_limit=f.per_company_limit, lottery=f.lottery, waitlist=f.waitlist,
        price_label=f.price_label, opens_at=f.opens_at, closes_at=f.closes_at, taken=0,
    )  # fmt: skip
