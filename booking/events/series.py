"""Series (連続講座): add, move and cancel single sessions of an event.

Each change is announced as any change of an event's time is (`changes.announce`): every
SEQUENCE grows, calendar entries and invitations update, reminders are re-timed and everyone
registered is told by mail. The event's own start and end follow its sessions. A session is
never moved (or added) into the past, and one already over is kept as it was.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from booking.errors import Conflict, Invalid, NotAllowed, NotFound
from booking.events import audit
from booking.events.changes import announce
from booking.events.models import Event, EventSession
from booking.events.versions import claim
from booking.extensions import db
from booking.org.policy import can_manage
from booking.timefmt import as_utc, format_when

MAX_SESSIONS = 50


def session_of(event: Event, session_id: int) -> EventSession:
    """The event's session with this id. :raises NotFound: none, or another event's."""
    session = db.session.get(EventSession, session_id)
    if session is None or session.event_id != event.id:
        raise NotFound(_l("開催回が見つかりません。"))
    return session


def is_over(session: EventSession, now: datetime) -> bool:
    """The session has started: it is no longer moved or cancelled."""
    return as_utc(session.starts_at) <= now


def _check(event: Event, by, now: datetime, starts_at=None, ends_at=None) -> None:
    if not can_manage(by, event):
        raise NotAllowed(_l("このイベントを変更する権限がありません。"))
    if event.status == "cancelled":
        raise Conflict(_l("中止したイベントの日程は変更できません。"), code="event_cancelled")
    if starts_at is not None:
        if as_utc(starts_at) <= now:
            raise Invalid(_l("過去の日時には設定できません。"), field="starts_at")
        if as_utc(ends_at) <= as_utc(starts_at):
            raise Invalid(_l("終了日時は開始日時より後にしてください。"), field="ends_at")


def _schedule(event: Event) -> str:
    """The sessions' times in one line, for the audit log."""
    times = sorted((as_utc(s.starts_at), as_utc(s.ends_at)) for s in event.sessions)
    return " / ".join(format_when(start, end) for start, end in times) or audit.when_of(event)


def _follow_sessions(event: Event, now: datetime, by, was: str) -> None:
    """The event spans its sessions; the change is announced to everyone registered and kept
    in the audit log."""
    db.session.flush()
    db.session.expire(event, ["sessions"])
    event.starts_at = min(as_utc(s.starts_at) for s in event.sessions)
    event.ends_at = max(as_utc(s.ends_at) for s in event.sessions)
    event.updated_at = now
    db.session.flush()
    announce(event, now, "sessions")
    audit.record_event_change(event, "sessions", by=by, now=now, before={"when": was},
                              after={"when": _schedule(event)})  # fmt: skip


def add_session(event: Event, starts_at: datetime, ends_at: datetime, title: str, by,
                now: datetime, version: int | None = None) -> EventSession:  # fmt: skip
    """A new session; a single-day event becomes a series (its own date is the first session).

    :raises Invalid: in the past, or ends before it starts. :raises StaleEdit:
    """
    _check(event, by, now, starts_at, ends_at)
    claim(event, version)
    was = _schedule(event)
    if len(event.sessions) >= MAX_SESSIONS:
        raise Invalid(_l("開催回は%(n)s回までです。", n=MAX_SESSIONS), field="starts_at")
    if not event.sessions:
        event.sessions.append(EventSession(starts_at=event.starts_at, ends_at=event.ends_at))
    session = EventSession(starts_at=starts_at, ends_at=ends_at, title=(title or "").strip())
    event.sessions.append(session)
    _follow_sessions(event, now, by, was)
    return session


def move_session(session: EventSession, starts_at: datetime, ends_at: datetime, title: str,
                 by, now: datetime, version: int | None = None) -> None:  # fmt: skip
    """A session to a new time (and name).

    :raises Invalid: into the past, ends before it starts. :raises Conflict: already held.
    """
    event = session.event
    _check(event, by, now, starts_at, ends_at)
    claim(event, version)
    was = _schedule(event)
    if is_over(session, now):
        raise Conflict(_l("開始済みの回は変更できません。"), code="session_over")
    session.starts_at, session.ends_at = starts_at, ends_at
    session.title = (title or "").strip()
    _follow_sessions(event, now, by, was)


def cancel_session(session: EventSession, by, now: datetime, version: int | None = None) -> None:
    """Cancel one session; the series goes on with the others.

    :raises Conflict: already held, or the last session (cancel the event instead).
    """
    event = session.event
    _check(event, by, now)
    claim(event, version)
    was = _schedule(event)
    if is_over(session, now):
        raise Conflict(_l("開始済みの回は中止できません。"), code="session_over")
    if len(event.sessions) <= 1:
        raise Conflict(
            _l("最後の1回は中止できません。イベント全体を中止してください。"), code="last_session"
        )
    event.sessions.remove(session)
    db.session.delete(session)
    _follow_sessions(event, now, by, was)
