"""Events and registrations over the API (contract: ARCHITECTURE.md)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import jsonify, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.api.auth import Unauthorized, api_user, token_required
from booking.api.blueprint import bp, json_body
from booking.api.openapi import LINKS, PATHS, SCHEMAS, error_responses, json_response, link, links
from booking.errors import Invalid, NotAllowed, NotFound
from booking.events.changes import update_event
from booking.events.models import (
    AUDIENCES,
    FORMATS,
    KINDS,
    MODES,
    QUESTION_KINDS,
    Registration,
)
from booking.events.payload import event_from_payload
from booking.events.policy import may_join
from booking.events.registrations import (
    cancel_registration,
    get_own_registration,
    register_for_frame,
)
from booking.events.serialise import event_json, registration_json
from booking.events.services import (
    EventFilters,
    can_manage,
    create_event,
    find_events,
    get_visible_event,
)
from booking.extensions import db
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
    db.session.commit()
    return jsonify(event_json(event, now, staff=True)), 201


@bp.patch("/events/<int:event_id>")
@token_required
def patch_event(event_id: int):
    user = _staff_only()
    event = get_visible_event(event_id, user)
    values = event_from_payload(json_body(), partial=True)
    now = now_utc()
    update_event(event, values, user, now)
    db.session.commit()
    event = get_visible_event(event_id, user)
    return jsonify(event_json(event, now, staff=True))


@bp.post("/events/<int:event_id>/registrations")
@token_required
def post_registration(event_id: int):
    user = api_user()
    body = json_body()
    if get_visible_event(event_id, user) is None:  # pragma: no cover - raises
        raise NotFound()
    attestation = body.get("attestation", False)
    if not isinstance(attestation, bool):
        raise Invalid(_l("attestation は true か false で指定してください。"), field="attestation")
    reg = register_for_frame(
        user, event_id, body.get("frame"), body.get("answers"), now_utc(), attestation
    )
    db.session.commit()
    return jsonify(registration_json(reg)), 201


@bp.delete("/registrations/<int:reg_id>")
@token_required
def delete_registration(reg_id: int):
    user = api_user()
    reg = get_own_registration(reg_id, user)
    by_staff = reg.user_id != user.id or can_manage(user, reg.event)
    cancel_registration(reg, now_utc(), by_staff=by_staff)
    db.session.commit()
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


# ---- OpenAPI

_ref = {"$ref": "#/components/schemas/Event"}
FRAME_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "mode": {"type": "string", "enum": ["in_person", "online"]},
        "audience": {"type": "string", "enum": ["members", "guests", "all"]},
        "capacity": {"type": "integer"},
        "remaining": {"type": "integer"},
        "price_label": {"type": "string"},
        "per_company_limit": {"type": ["integer", "null"]},
        "lottery": {"type": "boolean"},
        "waitlist": {"type": "boolean"},
        "opens_at": {"type": ["string", "null"], "format": "date-time"},
        "closes_at": {"type": ["string", "null"], "format": "date-time"},
        "state": {"type": "string"},
    },
    "required": ["id", "name", "capacity", "remaining"],
}
SCHEMAS.update(
    {
        "Frame": FRAME_SCHEMA,
        "Event": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "title": {"type": "string"},
                "kind": {"type": "string", "enum": ["seminar", "exchange", "exhibition", "other"]},
                "format": {"type": "string", "enum": ["in_person", "online", "hybrid"]},
                "unit": {"type": "string", "examples": ["hq", "branch:chiyoda"]},
                "status": {"type": "string", "enum": ["draft", "published", "cancelled"]},
                "member_only": {"type": "boolean"},
                "starts_at": {"type": "string", "format": "date-time"},
                "ends_at": {"type": "string", "format": "date-time"},
                "venue": {"type": "object"},
                "online_url": {"type": ["string", "null"]},
                "frames": {"type": "array", "items": {"$ref": "#/components/schemas/Frame"}},
                "sessions": {"type": "array", "items": {"type": "object"}},
                "questions": {"type": "array", "items": {"type": "object"}},
                "tags": {"type": "array", "items": {"type": "string"}},
                "sequence": {"type": "integer"},
                "updated_at": {"type": "string", "format": "date-time"},
            },
            "required": ["id", "title", "starts_at", "ends_at", "frames"],
        },
        "FrameInput": {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "minimum": 1, "description": "PATCH: an existing frame"},
                "name": {"type": "string", "minLength": 1, "maxLength": 100},
                "mode": {"type": "string", "enum": list(MODES)},
                "capacity": {"type": "integer", "minimum": 0},
                "audience": {"type": "string", "enum": list(AUDIENCES)},
                "per_company_limit": {"type": ["integer", "null"], "minimum": 1},
                "lottery": {"type": "boolean"},
                "waitlist": {"type": "boolean", "default": True},
                "price_label": {"type": "string", "maxLength": 100},
                "opens_at": {"type": ["string", "null"], "format": "date-time"},
                "closes_at": {"type": ["string", "null"], "format": "date-time"},
            },
            "required": ["name", "capacity"],
        },
        "EventInput": {
            "type": "object",
            "description": "POST needs title, kind, unit, format, starts_at and ends_at; "
            "PATCH takes any of them.",
            "properties": {
                "title": {"type": "string", "minLength": 1, "maxLength": 200},
                "kind": {"type": "string", "enum": list(KINDS)},
                "unit": {"type": "string", "examples": ["hq", "branch:chiyoda", "section:ict"]},
                "format": {"type": "string", "enum": list(FORMATS)},
                "starts_at": {"type": "string", "format": "date-time"},
                "ends_at": {"type": "string", "format": "date-time"},
                "cancel_until": {"type": "string", "format": "date-time"},
                "status": {"type": "string", "enum": ["draft", "published", "cancelled"]},
                "member_only": {"type": "boolean"},
                "attestation": {"type": "boolean"},
                "summary": {"type": "string", "maxLength": 400},
                "description": {"type": "string", "maxLength": 20000},
                "speakers": {"type": "string", "maxLength": 400},
                "venue": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "maxLength": 200},
                        "address": {"type": "string", "maxLength": 300},
                        "access": {"type": "string", "maxLength": 300},
                    },
                },
                "online_url": {
                    "type": ["string", "null"],
                    "examples": ["https://meet.example.jp/x"],
                },
                "frames": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/FrameInput"},
                    "minItems": 1,
                    "maxItems": 20,
                },
                "sessions": {
                    "type": "array",
                    "maxItems": 50,
                    "items": {
                        "type": "object",
                        "properties": {
                            "starts_at": {"type": "string", "format": "date-time"},
                            "ends_at": {"type": "string", "format": "date-time"},
                            "title": {"type": "string", "maxLength": 200},
                        },
                        "required": ["starts_at", "ends_at"],
                    },
                },
                "questions": {
                    "type": "array",
                    "maxItems": 30,
                    "items": {
                        "type": "object",
                        "properties": {
                            "label": {"type": "string", "minLength": 1, "maxLength": 200},
                            "kind": {"type": "string", "enum": list(QUESTION_KINDS)},
                            "choices": {
                                "type": "array",
                                "items": {"type": "string", "minLength": 1},
                            },
                            "required": {"type": "boolean"},
                        },
                        "required": ["label"],
                    },
                },
                "tags": {
                    "type": "array",
                    "items": {"type": "string"},
                    "examples": [["section:ict"]],
                },
            },
        },
        "Registration": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "reference": {"type": "string", "description": "受付番号"},
                "status": {
                    "type": "string",
                    "enum": ["confirmed", "waitlisted", "applied", "cancelled"],
                },
                "position": {"type": ["integer", "null"]},
                "event": {"type": "object"},
                "frame": {"type": "object"},
                "pass_token": {"type": "string"},
                "online_url": {
                    "type": "string",
                    "description": "only for a confirmed registration in an online frame",
                },
                "sequence": {"type": "integer"},
                "updated_at": {"type": "string", "format": "date-time"},
            },
            "required": ["id", "status"],
        },
    }
)


def _body(schema: str | dict) -> dict:
    ref = {"$ref": f"#/components/schemas/{schema}"} if isinstance(schema, str) else schema
    return {"required": True, "content": {"application/json": {"schema": ref}}}


def _items(schema: str) -> dict:
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{schema}"}},
            "next": {"type": "string"},
        },
    }


_id = {"name": "event_id", "in": "path", "required": True, "schema": {"type": "integer"}}
PATHS.update(
    {
        "/events": {
            "get": {
                "summary": "Published events the caller may see, with frames and remaining seats",
                "security": [{}, {"bearer": []}],
                "parameters": [
                    {"name": n, "in": "query", "schema": {"type": "string"}}
                    for n in (
                        "kind",
                        "branch",
                        "section",
                        "unit",
                        "format",
                        "from",
                        "to",
                        "q",
                        "has_seats",
                        "offset",
                    )
                ],
                "responses": {
                    **json_response("200", "events", _items("Event")),
                    **error_responses(422),
                },
            },
            "post": {
                "summary": "Create an event with its frames (staff)",
                "requestBody": _body(
                    {
                        "allOf": [{"$ref": "#/components/schemas/EventInput"}],
                        "required": ["title", "kind", "unit", "format", "starts_at", "ends_at"],
                    }
                ),
                "responses": {
                    **json_response("201", "the event", "Event"),
                    **error_responses(401, 403, 422),
                },
            },
        },
        "/events/{event_id}": {
            "get": {
                "summary": "One event",
                "security": [{}, {"bearer": []}],
                "parameters": [_id],
                "responses": {**json_response("200", "the event", "Event"), **error_responses(404)},
            },
            "patch": {
                "summary": "Change an event: time, place, frames (capacity), status cancelled (staff)",
                "parameters": [_id],
                "requestBody": _body("EventInput"),
                "responses": {
                    **json_response("200", "the event", "Event"),
                    **error_responses(401, 403, 404, 422),
                },
            },
        },
        "/events/{event_id}/registrations": {
            "post": {
                "summary": "Register for one frame: confirmed, waitlisted or (lottery) applied",
                "parameters": [_id],
                "requestBody": _body(
                    {
                        "type": "object",
                        "properties": {
                            "frame": {"type": "integer"},
                            "answers": {"type": "object"},
                            "attestation": {"type": "boolean"},
                        },
                        "required": ["frame"],
                    }
                ),
                "responses": {
                    **json_response("201", "the registration", "Registration"),
                    **error_responses(400, 401, 403, 404, 409, 422),
                },
            }
        },
        "/registrations/{reg_id}": {
            "delete": {
                "summary": "Cancel a registration (its owner or staff); promotes the waitlist",
                "parameters": [
                    {
                        "name": "reg_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {
                    "204": {"description": "cancelled"},
                    **error_responses(401, 404, 409),
                },
            }
        },
        "/me/registrations": {
            "get": {
                "summary": "The caller's registrations",
                "responses": {
                    **json_response("200", "registrations", _items("Registration")),
                    **error_responses(401),
                },
            }
        },
    }
)

_first, _one = "$response.body#/items/0", "$response.body#"
LINKS.update(
    {
        ("/events", "get", "200"): links(
            link("get_event", event_id=f"{_first}/id"),
            link("post_registration", {"frame": f"{_first}/frames/0/id"}, event_id=f"{_first}/id"),
        ),
        ("/events", "post", "201"): links(
            link("get_event", event_id=f"{_one}/id"),
            link("patch_event", event_id=f"{_one}/id"),
        ),
        ("/events/{event_id}", "get", "200"): links(
            link("post_registration", {"frame": f"{_one}/frames/0/id"}, event_id=f"{_one}/id"),
        ),
        ("/events/{event_id}/registrations", "post", "201"): links(
            link("delete_registration", reg_id=f"{_one}/id"),
        ),
        ("/me/registrations", "get", "200"): links(
            link("delete_registration", reg_id=f"{_first}/id"),
        ),
    }
)
