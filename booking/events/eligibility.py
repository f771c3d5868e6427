"""Who may register where, and when: a frame's window and state, its audience, the answers to
the event's questions. Read-only rules, asked by the pages before anything is written and by
`registrations.register_for_frame` before a seat is sought."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from booking.accounts.models import User
from booking.errors import Conflict, Invalid, NotAllowed, NotFound
from booking.events.catalogue import can_see_member_only
from booking.events.models import Event, Frame
from booking.timefmt import as_utc


class WindowClosed(Conflict):
    code = "window_closed"


def default_close(event: Event) -> datetime:
    """When registration closes unless a frame says otherwise.

    A seminar closes at its start. A trade fair takes visitors, walk-ins included, until its
    last day closes: the pass is what lets them in, so they must be able to get one there.
    """
    return as_utc(event.ends_at if event.kind == "exhibition" else event.starts_at)


def window_of(frame: Frame) -> tuple[datetime | None, datetime]:
    """When registration opens (None: already) and closes (default: `default_close`)."""
    closes = as_utc(frame.closes_at) if frame.closes_at else default_close(frame.event)
    return (as_utc(frame.opens_at) if frame.opens_at else None), closes


def registration_window(frame: Frame, now: datetime) -> str:
    """The one "is registration open" rule: `not_open`, `open` or `closed` at `now` (a frame
    staff closed is closed)."""
    if frame.closed_at is not None:
        return "closed"
    opens, closes = window_of(frame)
    if opens and now < opens:
        return "not_open"
    return "closed" if now >= closes else "open"


def frame_state(frame: Frame, now: datetime) -> str:
    """What the frame offers now: open, few_left, waitlist, lottery, full, closed, not_open, cancelled, ended."""
    event = frame.event
    if event.status == "cancelled":
        return "cancelled"
    if as_utc(event.ends_at) <= now:
        return "ended"
    window = registration_window(frame, now)
    if window != "open":
        return window
    if frame.lottery:
        return "lottery"
    if frame.remaining <= 0:
        return "waitlist" if frame.waitlist else "full"
    if frame.remaining <= max(3, frame.capacity // 10):
        return "few_left"
    return "open"


def audience_allows(frame: Frame, user: User) -> bool:
    if frame.audience == "members":
        return user.is_member
    if frame.audience == "guests":
        return not user.is_member
    return True


def validate_answers(event: Event, answers) -> dict:
    """Keep only answers to the event's questions; check required ones and choices.

    :raises Invalid: `field` is the question's key (`q<id>`).
    """
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise Invalid(_l("回答の形式が正しくありません。"), field="answers")
    clean: dict[str, object] = {}
    for q in event.questions:
        value = answers.get(q.key, answers.get(str(q.id)))
        if q.kind == "checkbox":
            if isinstance(value, str):
                value = [value]
            value = [v for v in (value or []) if isinstance(v, str)]
            if q.choices and any(v not in q.choices for v in value):
                raise Invalid(_l("選択肢にない回答です。"), field=q.key)
            if not q.choices:  # a single "I agree"-style box
                value = bool(value) or answers.get(q.key) is True
            if q.required and not value:
                raise Invalid(_l("「%(q)s」は必須です。", q=q.label), field=q.key)
        else:
            if value is not None and not isinstance(value, str):
                raise Invalid(_l("回答の形式が正しくありません。"), field=q.key)
            value = (value or "").strip()
            if q.kind == "choice" and value and value not in q.choices:
                raise Invalid(_l("選択肢にない回答です。"), field=q.key)
            if len(value) > 2000:
                raise Invalid(_l("回答が長すぎます。"), field=q.key)
            if q.required and not value:
                raise Invalid(_l("「%(q)s」は必須です。", q=q.label), field=q.key)
        clean[q.key] = value
    return clean


def check_can_register(frame: Frame, user: User, now: datetime) -> None:
    """Every rule before a seat is sought. :raises DomainError: with a clear message."""
    event = frame.event
    if event.status == "cancelled":
        raise Conflict(_l("このイベントは中止になりました。"), code="event_cancelled")
    if event.status != "published" or (event.member_only and not can_see_member_only(user)):
        raise NotFound(_l("イベントが見つかりません。"))
    if not audience_allows(frame, user):
        if frame.audience == "members":
            raise NotAllowed(_l("この参加枠は会員の方のみお申し込みいただけます。"))
        raise NotAllowed(_l("この参加枠は一般（非会員）の方のための枠です。"))
    window = registration_window(frame, now)
    if window == "not_open":
        raise WindowClosed(_l("申込受付はまだ始まっていません。"))
    if window == "closed":
        raise WindowClosed(_l("申込受付は終了しました。"))
