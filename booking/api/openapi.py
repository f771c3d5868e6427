"""The OpenAPI 3.1 document of /api/v1. Every route has an entry (a test holds us to it)."""

from __future__ import annotations

from flask import Flask

ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            "required": ["code", "message"],
        }
    },
}

PERSON = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "email": {"type": "string", "format": "email"},
        "role": {"type": "string", "enum": ["member", "guest", "staff", "advisor", "admin"]},
        "family_name": {"type": "string"},
        "given_name": {"type": "string"},
        "family_kana": {"type": "string"},
        "given_kana": {"type": "string"},
        "locale": {"type": "string"},
        "unit": {"type": ["string", "null"]},
        "company": {"type": ["object", "null"]},
    },
}


def error_responses(*codes: int) -> dict:
    """Response entries for error statuses, all with the `{"error": …}` body."""
    return {
        str(c): {
            "description": "error",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for c in codes
    }


def json_response(status: str, description: str, schema: str | dict) -> dict:
    """A JSON response entry; `schema` is a component name or an inline schema."""
    ref = {"$ref": f"#/components/schemas/{schema}"} if isinstance(schema, str) else schema
    return {status: {"description": description, "content": {"application/json": {"schema": ref}}}}


# Each API module adds its paths (one entry per route) and schemas here at import.
PATHS: dict[str, dict] = {}
SCHEMAS: dict[str, dict] = {"Error": ERROR, "Person": PERSON}


def document(app: Flask) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Tsunagu API",
            "version": "1",
            "description": "Events, registrations, consultations and calendars of the chamber.",
        },
        "servers": [{"url": app.config["BASE_URL"] + "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
        "paths": PATHS,
    }
