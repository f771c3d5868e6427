"""An event's frames (参加枠) over the API: list, add, change (contract: ARCHITECTURE.md).

The rules are those of the staff pages (`events/frames.py`): capacity never below the
confirmed count, a rise promotes the waitlist, `closed` stops registrations, and a body's
`version` (the event's, from GET /events/{id}) refuses a change based on a stale read.
"""

from __future__ import annotations

from flask import jsonify
from flask_babel import lazy_gettext as _l

from booking.api.auth import api_user, token_required
from booking.api.blueprint import bp, json_body
from booking.api.serialise import iso
from booking.errors import Invalid, NotAllowed, NotFound
from booking.events.catalogue import get_visible_event
from booking.events.frames import add_frame, close_frame, reopen_frame, update_frame
from booking.events.payload import MAX_INT, frame_from_payload
from booking.events.policy import frame_of
from booking.events.serialise import frame_json
from booking.events.versions import claim
from booking.extensions import db
from booking.org.policy import can_manage
from booking.timefmt import now_utc

# The fields of a frame a PATCH may leave out (they keep their value).
_FIELDS = ("name", "mode", "capacity", "audience", "per_company_limit", "lottery", "waitlist",
           "price_label", "opens_at", "closes_at")  # fmt: skip


def _managed(event_id: int):
    user = api_user()
    event = get_visible_event(event_id, user)
    if not can_manage(user, event):
        if user.is_staff:
            raise NotFound(_l("イベントが見つかりません。"))
        raise NotAllowed(_l("職員のみ操作できます。"))
    return user, event


def _version(body: dict) -> int | None:
    if "version" not in body or body["version"] is None:
        return None
    value = body["version"]
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_INT:
        raise Invalid(_l("%(f)s は %(n)s 以上の整数です。", f="version", n=1), field="version")
    return value


def _closed(body: dict) -> bool | None:
    value = body.get("closed")
    if value is not None and not isinstance(value, bool):
        raise Invalid(_l("%(f)s は true か false で指定してください。", f="closed"), field="closed")
    return value


def _current(frame) -> dict:
    """The frame as a FrameInput body, for a PATCH to change only what it names."""
    return {
        "name": frame.name, "mode": frame.mode, "capacity": frame.capacity,
        "audience": frame.audience, "per_company_limit": frame.per_company_limit,
        "lottery": frame.lottery, "waitlist": frame.waitlist, "price_label": frame.price_label,
        "opens_at": iso(frame.opens_at), "closes_at": iso(frame.closes_at),
    }  # fmt: skip


@bp.get("/events/<int:event_id>/frames")
def list_frames(event_id: int):
    user = api_user()
    event = get_visible_event(event_id, user)
    staff = bool(user and can_manage(user, event))
    now = now_utc()
    return jsonify({"items": [frame_json(f, now, staff) for f in event.frames]})


@bp.post("/events/<int:event_id>/frames")
@token_required
def post_frame(event_id: int):
    user, event = _managed(event_id)
    body = json_body()
    data = frame_from_payload(body, 0)
    now = now_utc()
    frame = add_frame(event, data, user, now, _version(body))
    if _closed(body):
        close_frame(frame, user, now)
    return jsonify(frame_json(frame, now, staff=True)), 201


@bp.patch("/events/<int:event_id>/frames/<int:frame_id>")
@token_required
def patch_frame(event_id: int, frame_id: int):
    user, event = _managed(event_id)
    frame = frame_of(event, frame_id)
    body = json_body()
    version, closed = _version(body), _closed(body)
    now = now_utc()
    changes = {k: body[k] for k in _FIELDS if k in body}
    if changes or closed is None:
        data = frame_from_payload(_current(frame) | changes, 0)
        update_frame(frame, data, user, now, version)
        version = None  # counted once
    elif version is not None:
        claim(event, version)
        version = None
    if closed is True and frame.closed_at is None:
        close_frame(frame, user, now, version)
    elif closed is False and frame.closed_at is not None:
        reopen_frame(frame, user, now, version)
    db.session.flush()
    db.session.refresh(frame)
    return jsonify(frame_json(frame, now, staff=True))
