"""The OpenAPI schemas of the events API (`booking/api/events.py`): events, frames,
questions, registrations and the people on waitlists. Data, added to the shared document when
imported (by `events_openapi`, which describes the paths that use them)."""

from __future__ import annotations

from booking.api.openapi import SCHEMAS
from booking.events.models import AUDIENCES, FORMATS, KINDS, MODES, QUESTION_KINDS

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
        "position": {"type": "integer", "description": "order on the event's page"},
        "closed": {"type": "boolean", "description": "closed by staff: takes no registrations"},
        "taken": {"type": "integer", "description": "staff only: confirmed seats"},
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
                "payment_note": {"type": "string"},
                "online_url": {"type": ["string", "null"]},
                "frames": {"type": "array", "items": {"$ref": "#/components/schemas/Frame"}},
                "sessions": {"type": "array", "items": {"type": "object"}},
                "questions": {"type": "array", "items": {"type": "object"}},
                "tags": {"type": "array", "items": {"type": "string"}},
                "per_company_limit": {
                    "type": ["integer", "null"],
                    "description": "active registrations of one company across all frames",
                },
                "sequence": {"type": "integer"},
                "version": {
                    "type": "integer",
                    "description": "grows with every staff change; send it back in PATCH",
                },
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
                "payment_note": {"type": "string", "maxLength": 500},
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
                "per_company_limit": {
                    "type": ["integer", "null"],
                    "minimum": 1,
                    "description": "active registrations of one company across all frames "
                    "(null: no limit); each frame may have its own limit too",
                },
                "version": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 2147483647,
                    "description": "PATCH: the event's version the change is based on; "
                    "if someone changed the event since, 409 stale_version",
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
        "WaitingPerson": {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "description": "the registration"},
                "reference": {"type": "string", "description": "受付番号"},
                "frame": {"type": "integer"},
                "position": {"type": "integer", "minimum": 1},
                "name": {"type": "string"},
                "kana": {"type": "string"},
                "company": {"type": ["string", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
            },
            "required": ["id", "reference", "frame", "position"],
        },
        "CheckIn": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "checked_in_at": {"type": "string", "format": "date-time"},
                "first": {"type": "boolean"},
            },
            "required": ["id", "checked_in_at", "first"],
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
                "pass_token": {
                    "type": "string",
                    "description": "the door's QR pass: only for a confirmed registration in a"
                    " frame with a room",
                },
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
