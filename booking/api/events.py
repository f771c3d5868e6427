"""Events and registrations over the API (contract: ARCHITECTURE.md)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import jsonify, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.api.auth import Unauthorized, api_user, token_required
from booking.api.blueprint import bp, json_body
from booking.api.serialise import iso
from booking.errors import Invalid, NotAllowed, NotFound
from booking.events.authoring import create_event
from booking.events.catalogue import EventFilters, find_events, get_visible_event, visible_event
from booking.events.changes import update_event
from booking.events.door import check_in_at_door, undo_check_in
from booking.events.event_cache import registering_event
from booking.events.models import (
    Registration,
)
from booking.events.payload import event_from_payload
from booking.events.policy import may_join
from booking.events.registrations import (
    cancel_registration,
    get_own_registration,
    register_for_frame,
    waiting_list,
)
from booking.events.serialise import event_json, registration_json, waiting_json
from booking.events.staff_actions import cancel_on_behalf
from booking.extensions import db
from booking.org.policy import can_manage
from booking.storable import db_int
from booking.timefmt import local_zone, now_utc, parse_day, parse_local

PAGE = 100


def _viewer():
    return api_user()


def _time_arg(name: str, end: bool = False) -> datetime | None:
    """`from`/`to`: a date (2026-12-01, local) or an ISO 8601 time. :raises Invalid:"""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        if len(raw) == 10:
            day = parse_day(raw) + timedelta(days=1 if end else 0)
            return datetime.combine(day, time(0), tzinfo=local_zone())
        return parse_local(raw)
    except ValueError:
        raise Invalid(_l("%(f)s は日付か ISO 8601 の日時で指定してください。", f=name)) from None


def _entitled(event, user) -> bool:
    """The caller's active registration for the event lets them join (`policy.may_join`)."""
    if user is None:
        return False
    reg = db.session.scalar(
        select(Registration).where(
            Registration.event_id == event.id, Registration.active_user_id == user.id
        )
    )
    return may_join(reg)


@bp.get("/events")
def list_events():
    user = _viewer()
    unit = request.args.get("unit", "").strip()
    if not unit and request.args.get("branch"):
        unit = "branch:" + request.args["branch"].strip()
    if not unit and request.args.get("section"):
        unit = "section:" + request.args["section"].strip()
    try:
        offset = max(db_int(request.args.get("offset", 0)), 0)
    except ValueError:
        raise Invalid(_l("offset は整数です。")) from None
    filters = EventFilters(
        kind=request.args.get("kind", ""), unit=unit, format=request.args.get("format", ""),
        q=request.args.get("q", "")[:100], date_from=_time_arg("from"),
        date_to=_time_arg("to", end=True), has_seats=request.args.get("has_seats") in ("1", "true"),
    )  # fmt: skip
    now = now_utc()
    events = find_events(user, filters, now, limit=offset + PAGE + 1)[offset:]
    staff = bool(user and user.is_staff)
    body = {"items": [event_json(e, now, staff=staff) for e in events[:PAGE]]}
    if len(events) > PAGE:
        args = request.args.to_dict() | {"offset": str(offset + PAGE)}
        body["next"] = request.base_url + "?" + "&".join(f"{k}={v}" for k, v in args.items())
    return jsonify(body)


@bp.get("/events/<int:event_id>")
def get_event(event_id: int):
    user = _viewer()
    event = get_visible_event(event_id, user)
    staff = bool(user and can_manage(user, event))
    return jsonify(event_json(event, now_utc(), staff=staff, entitled=_entitled(event, user)))


def _staff_only():
    user = api_user()
    if not user.is_staff:
        raise NotAllowed(_l("職員のみ操作できます。"))
    return user


@bp.post("/events")
@token_required
def post_event():
    user = _staff_only()
    values = event_from_payload(json_body())
    now = now_utc()
    event = create_event(values, user, now)
    return jsonify(event_json(event, now, staff=True)), 201


@bp.patch("/events/<int:event_id>")
@token_required
def patch_event(event_id: int):
    user = _staff_only()
    event = get_visible_event(event_id, user)
    values = event_from_payload(json_body(), partial=True)
    now = now_utc()
    update_event(event, values, user, now)
    # Answer with what is stored, as a re-read after a commit would: frames added or
    # removed by the change are read back in their order.
    db.session.flush()
    db.session.expire_all()
    event = get_visible_event(event_id, user)
    return jsonify(event_json(event, now, staff=True))


@bp.post("/events/<int:event_id>/registrations")
@token_required
def post_registration(event_id: int):
    user = api_user()
    body = json_body()
    # Held, not dropped: the session keeps only referenced objects, and the registration
    # would read the event again. A worker's copy when nothing in it changed (`event_cache`).
    event = visible_event(registering_event(event_id), user)
    attestation = body.get("attestation", False)
    if not isinstance(attestation, bool):
        raise Invalid(_l("attestation は true か false で指定してください。"), field="attestation")
    reg = register_for_frame(
        user, event.id, body.get("frame"), body.get("answers"), now_utc(), attestation
    )
    return jsonify(registration_json(reg, reg.position_when_written)), 201


@bp.delete("/registrations/<int:reg_id>")
@token_required
def delete_registration(reg_id: int):
    user = api_user()
    reg = get_own_registration(reg_id, user)
    if reg.user_id != user.id or can_manage(user, reg.event):
        cancel_on_behalf(reg, now_utc(), by=user)
    else:
        cancel_registration(reg, now_utc())
    return "", 204


def _managed_registration(reg_id: int, user) -> Registration:
    """A registration of an event the staff member manages. :raises NotFound:"""
    reg = db.session.get(Registration, reg_id)
    if reg is None or not can_manage(user, reg.event):
        raise NotFound(_l("お申し込みが見つかりません。"))
    return reg


@bp.get("/events/<int:event_id>/waitlist")
@token_required
def get_waitlist(event_id: int):
    """The event's waitlists in the order seats are given (staff who manage the event)."""
    user = _staff_only()
    event = get_visible_event(event_id, user)
    if not can_manage(user, event):
        raise NotFound(_l("イベントが見つかりません。"))
    items = [
        waiting_json(reg, position)
        for frame in event.frames
        for position, reg in enumerate(waiting_list(frame.id), start=1)
    ]
    return jsonify({"items": items})


@bp.post("/registrations/<int:reg_id>/checkin")
@token_required
def post_checkin(reg_id: int):
    """Door check-in on one of the event's days; `"first": false` for a second scan."""
    user = _staff_only()
    reg = _managed_registration(reg_id, user)
    first = check_in_at_door(reg, now_utc(), by=user)
    return jsonify({"id": reg.id, "checked_in_at": iso(reg.checked_in_at), "first": first})


@bp.delete("/registrations/<int:reg_id>/checkin")
@token_required
def delete_checkin(reg_id: int):
    """Undo a mistaken check-in (`{"reason": "…"}` optional), kept in the audit log."""
    user = _staff_only()
    reg = _managed_registration(reg_id, user)
    body = request.get_json(silent=True)
    reason = body.get("reason", "") if isinstance(body, dict) else ""
    if not isinstance(reason, str):
        raise Invalid(_l("reason は文字列で指定してください。"), field="reason")
    undo_check_in(reg, now_utc(), by=user, reason=reason)
    return "", 204


@bp.get("/me/registrations")
@token_required
def my_registrations():
    user = api_user()
    if user is None:  # pragma: no cover - token_required
        raise Unauthorized()
    regs = db.session.scalars(
        select(Registration)
        .where(Registration.user_id == user.id)
        .order_by(Registration.created_at.desc(), Registration.id.desc())
        .limit(500)
        .options(selectinload(Registration.event), selectinload(Registration.frame))
    )
    return jsonify({"items": [registration_json(r) for r in regs]})
