"""A worker's copies of events as a registration reads them, which can never be stale.

Registering reads an event with its frames, questions, sessions and whether it has a survey
or reminder rules of its own (`registrations.REGISTERING`): one wide statement whose rows the
ORM turns into a dozen objects, the largest part of a registration's time in a rush where
every request asks for the same event. A worker keeps a detached copy of what that statement
read, keyed by the event's `cache_version` and its frames' (database triggers change them in
the transaction of any change to those rows, `cache_version`), and each registration asks one
narrow statement for the versions and the frames' seats as they are now. The same versions
(and the same frames) give a copy of the cached objects in the request's session
(`Session.merge(load=False)`: no SQL) with the seats just read; anything else (or nothing
cached) loads the event as before and keeps the copy.

The seats taken are never cached: they change with every registration, and the rush's seat
UPDATEs leave the version alone. They are read afresh with the versions, in the request's own
transaction; where a seat is taken or a place on the waitlist given, it is decided again where
it counts (the conditional seat UPDATE, the waitlist guard), and a frame without a waitlist that
reads full refuses as it was at that read.

A copy shares the cached objects' values (the JSON of a question's choices, too): nothing that
registers changes an event, and whatever does writes it through the database, which gives it
new versions.

The cache belongs to the app (one per worker process); the least recently used events go
first once it holds `EVENT_CACHE_SIZE` events (default 256).
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import attributes

from booking.events.models import Event, Frame
from booking.events.registrations import REGISTERING
from booking.extensions import db
from booking.lru import app_cache

_EVENTS, _FRAMES = Event.__table__, Frame.__table__
# The event's version, its frames' versions and seats, in one statement (one snapshot). Built
# once; run as Core on the session's connection.
_STATE = (
    select(_EVENTS.c.cache_version, _FRAMES.c.id, _FRAMES.c.cache_version, _FRAMES.c.taken)
    .select_from(_EVENTS.outerjoin(_FRAMES, _FRAMES.c.event_id == _EVENTS.c.id))
    .where(_EVENTS.c.id == bindparam("event_id"))
)


def _cache():
    return app_cache("tsunagu.event_cache", "EVENT_CACHE_SIZE", 256)


def registering_event(event_id: int) -> Event | None:
    """The event as registering reads it (`REGISTERING`), in the session; None if there is
    none. Visibility is the caller's to check (`catalogue.visible_event`)."""
    if db.session.identity_map.get(db.session.identity_key(Event, event_id)) is not None:
        # Already in this session (read or changed earlier in the request): the session's
        # object is the truth, as `Session.get` would answer.
        return db.session.get(Event, event_id, options=REGISTERING)
    rows = db.session.connection().execute(_STATE, {"event_id": event_id}).all()
    if not rows:
        return None
    version = rows[0][0]
    frames = {frame_id: frame_version for _v, frame_id, frame_version, _t in rows if frame_id}
    if any(
        db.session.identity_key(Frame, frame_id) in db.session.identity_map for frame_id in frames
    ):
        # A frame of it is in this session already: neither copied over nor kept.
        return db.session.get(Event, event_id, options=REGISTERING)
    cached = _cache().get(event_id)
    if (
        cached is not None
        and cached.cache_version == version
        and {frame.id: frame.cache_version for frame in cached.frames} == frames
    ):
        seats = {frame_id: taken for _v, frame_id, _fv, taken in rows}
        event = db.session.merge(cached, load=False)
        for frame in event.frames:
            attributes.set_committed_value(frame, "taken", seats[frame.id])
        return event
    return _load(event_id)


def _load(event_id: int) -> Event | None:
    """Load the event, keep a detached copy under the version it was read with (the same
    statement: content and key agree), and give the session a copy of it."""
    event = db.session.get(Event, event_id, options=REGISTERING)
    if event is None:
        return None
    db.session.expunge(event)  # with its frames, questions and sessions (cascade)
    _cache().put(event_id, event)
    return db.session.merge(event, load=False)
