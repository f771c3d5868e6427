"""Consultation API: free slots, booking, cancelling, my consultations (a contract)."""

from __future__ import annotations

from datetime import timedelta

from flask import jsonify, request

from booking.api.auth import api_user, token_required
from booking.api.blueprint import bp, json_body
from booking.api.openapi import LINKS, PATHS, SCHEMAS, error_responses, json_response, link, links
from booking.api.serialise import iso
from booking.consultations.catalogue import theme_by_slug
from booking.consultations.models import Consultation
from booking.consultations.policy import join_url
from booking.consultations.services import (
    Intake,
    book_consultation,
    cancel_consultation,
    consultation_for,
    consultations_of_member,
)
from booking.consultations.slots import free_slots
from booking.errors import Invalid, NotAllowed
from booking.org.services import unit_by_key
from booking.storable import db_int
from booking.timefmt import now_utc, parse_local

MAX_RANGE = timedelta(days=62)


def _member():
    user = api_user()
    if not user.is_member:
        raise NotAllowed("Consultations are for members.", code="members_only")
    return user


def _time(value, name: str):
    if not isinstance(value, str) or not value:
        raise Invalid(f"'{name}' must be an ISO 8601 time.", field=name, code="bad_time")
    try:
        return parse_local(value)
    except (ValueError, OverflowError) as exc:
        raise Invalid(f"'{name}' must be an ISO 8601 time.", field=name, code="bad_time") from exc


def _branch_id(value) -> int | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise Invalid("'branch' must be a branch slug.", field="branch", code="unknown_branch")
    unit = unit_by_key(value if ":" in value else f"branch:{value}")
    if unit is None:
        raise Invalid("Unknown branch.", field="branch", code="unknown_branch")
    return unit.id


def _advisor_id(value) -> int | None:
    if value in (None, "", "any"):
        return None
    if isinstance(value, bool):
        raise Invalid("'advisor' must be an advisor id.", field="advisor", code="bad_advisor")
    try:
        return db_int(value)
    except (TypeError, ValueError) as exc:
        raise Invalid(
            "'advisor' must be an advisor id.", field="advisor", code="bad_advisor"
        ) from exc


def consultation_json(c: Consultation) -> dict:
    return {
        "id": c.id,
        "status": c.status,
        "start": iso(c.starts_at),
        "end": iso(c.ends_at),
        "theme": c.theme.slug,
        "channel": c.channel.slug,
        "branch": c.branch.slug if c.branch else None,
        "advisor": c.advisor_id,
        "advisor_name": c.advisor.name,
        "topic": c.topic,
        "join_url": join_url(c),
        "late_cancellation": c.late_cancellation,
        "sequence": c.sequence,
        "updated_at": iso(c.updated_at),
    }


@bp.get("/consultations/slots")
@token_required
def consultation_slots():
    _member()
    args = request.args
    theme = theme_by_slug(args.get("theme"))
    now = now_utc()
    start = _time(args["from"], "from") if args.get("from") else now
    end = _time(args["to"], "to") if args.get("to") else start + timedelta(days=28)
    if end <= start or end - start > MAX_RANGE:
        raise Invalid("'to' must be after 'from', at most 62 days.", code="bad_range")
    slots = free_slots(
        theme,
        start,
        end,
        now,
        branch_id=_branch_id(args.get("branch")),
        channel_slug=args.get("channel") or None,
        advisor_id=_advisor_id(args.get("advisor")),
    )
    return jsonify(
        items=[
            {
                "advisor": s.advisor_id,
                "start": iso(s.start),
                "end": iso(s.end),
                "channel": s.channel,
                "branch": s.branch,
            }
            for s in slots
        ]
    )


@bp.post("/consultations")
@token_required
def consultation_create():
    member = _member()
    body = json_body()
    theme = theme_by_slug(body.get("theme") if isinstance(body.get("theme"), str) else None)
    channel = body.get("channel")
    if channel is not None and not isinstance(channel, str):
        raise Invalid("'channel' must be a channel slug.", field="channel", code="bad_channel")
    answers = body.get("answers") or {}
    if not isinstance(answers, dict):
        raise Invalid("'answers' must be an object.", field="answers", code="bad_answers")
    texts = {}
    for name in ("topic", "situation", "goal"):
        value = body.get(name) or ""
        if not isinstance(value, str):
            raise Invalid(f"'{name}' must be text.", field=name, code="bad_text")
        texts[name] = value
    intake = Intake(answers={str(k): str(v)[:2000] for k, v in answers.items()}, **texts)
    consultation = book_consultation(
        member,
        theme,
        channel or "",
        _time(body.get("start"), "start"),
        now_utc(),
        advisor_id=_advisor_id(body.get("advisor")),
        branch_id=_branch_id(body.get("branch")),
        intake=intake,
    )
    return jsonify(consultation_json(consultation)), 201


@bp.delete("/consultations/<int:consultation_id>")
@token_required
def consultation_delete(consultation_id: int):
    user = api_user()
    consultation = consultation_for(user, consultation_id)
    cancel_consultation(consultation, now_utc(), user)
    return "", 204


@bp.get("/me/consultations")
@token_required
def me_consultations():
    return jsonify(items=[consultation_json(c) for c in consultations_of_member(api_user())])


SCHEMAS.update(
    {
        "Slot": {
            "type": "object",
            "properties": {
                "advisor": {"type": "integer"},
                "start": {"type": "string", "format": "date-time"},
                "end": {"type": "string", "format": "date-time"},
                "channel": {"type": "string", "enum": ["branch", "online", "phone"]},
                "branch": {"type": ["string", "null"]},
            },
            "required": ["advisor", "start", "end", "channel", "branch"],
        },
        "Consultation": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "status": {"type": "string", "enum": ["booked", "cancelled"]},
                "start": {"type": "string", "format": "date-time"},
                "end": {"type": "string", "format": "date-time"},
                "theme": {"type": "string"},
                "channel": {"type": "string"},
                "branch": {"type": ["string", "null"]},
                "advisor": {"type": "integer"},
                "advisor_name": {"type": "string"},
                "topic": {"type": "string"},
                "join_url": {"type": ["string", "null"]},
                "late_cancellation": {"type": "boolean"},
                "sequence": {"type": "integer"},
                "updated_at": {"type": "string", "format": "date-time"},
            },
        },
        "ConsultationRequest": {
            "type": "object",
            "properties": {
                "advisor": {"type": ["integer", "null"], "description": "null: any advisor"},
                "start": {"type": "string", "format": "date-time"},
                "theme": {"type": "string"},
                "channel": {"type": "string"},
                "branch": {"type": ["string", "null"]},
                "topic": {"type": "string"},
                "situation": {"type": "string"},
                "goal": {"type": "string"},
                "answers": {"type": "object"},
            },
            "required": ["start", "theme", "channel", "topic"],
        },
    }
)


def _items(schema: str) -> dict:
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{schema}"}}
        },
    }


def _q(name: str, description: str, required: bool = False) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": {"type": "string"},
    }


PATHS.update(
    {
        "/consultations/slots": {
            "get": {
                "summary": "Free consultation slots (one advisor, or the union of every advisor)",
                "parameters": [
                    _q("theme", "theme slug", True),
                    _q("channel", "branch | online | phone"),
                    _q("branch", "branch slug"),
                    _q("advisor", "advisor id"),
                    _q("from", "ISO 8601, default now"),
                    _q("to", "ISO 8601, default from + 28 days"),
                ],
                "responses": {
                    **json_response("200", "free slots", _items("Slot")),
                    **error_responses(401, 403, 404, 422),
                },
            }
        },
        "/consultations": {
            "post": {
                "summary": "Book a consultation (advisor null: the least-loaded free advisor)",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/ConsultationRequest"}
                        }
                    },
                },
                "responses": {
                    **json_response("201", "booked", "Consultation"),
                    **error_responses(400, 401, 403, 404, 409, 422),
                },
            }
        },
        "/consultations/{consultation_id}": {
            "delete": {
                "summary": "Cancel a consultation (its member, its advisor or staff)",
                "parameters": [
                    {
                        "name": "consultation_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {
                    "204": {"description": "cancelled"},
                    **error_responses(401, 403, 404),
                },
            }
        },
        "/me/consultations": {
            "get": {
                "summary": "My consultations, newest first",
                "responses": {
                    **json_response("200", "my consultations", _items("Consultation")),
                    **error_responses(401),
                },
            }
        },
    }
)

_slot = "$response.body#/items/0"
LINKS.update(
    {
        ("/consultations/slots", "get", "200"): links(
            link(
                "consultation_create",
                {
                    "theme": "$request.query.theme",
                    "advisor": f"{_slot}/advisor",
                    "start": f"{_slot}/start",
                    "channel": f"{_slot}/channel",
                },
            ),
        ),
        ("/consultations", "post", "201"): links(
            link("consultation_delete", consultation_id="$response.body#/id"),
        ),
        ("/me/consultations", "get", "200"): links(
            link("consultation_delete", consultation_id=f"{_slot}/id"),
        ),
    }
)
