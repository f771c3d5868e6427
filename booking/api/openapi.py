"""The OpenAPI 3.1 document of /api/v1. Every route has an entry (a test holds us to it).

Each operation's `operationId` is its view's name (`get_event`), and responses that hand out an
id carry `links` to the operations that take it, so a client (or a fuzzer's stateful phase)
can follow event → registration → cancellation without guessing ids.
"""

from __future__ import annotations

import copy
import re

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


def link(operation_id: str, body: dict | None = None, **parameters: str) -> dict:
    """One link of a response: `link("get_event", event_id="$response.body#/id")`.

    `body` gives members of the target's request body (runtime expressions too).
    """
    entry: dict = {"operationId": operation_id, "parameters": parameters}
    if body:
        entry["requestBody"] = body
    return {operation_id: entry}


def links(*entries: dict) -> dict:
    """The `links` object of a response, from `link(...)` entries."""
    return {name: entry for one in entries for name, entry in one.items()}


# Each API module adds its paths (one entry per route) and schemas here at import.
PATHS: dict[str, dict] = {}
SCHEMAS: dict[str, dict] = {"Error": ERROR, "Person": PERSON}
# (path, method, status) → links of that response; modules add them beside their paths.
LINKS: dict[tuple[str, str, str], dict] = {}


def _operation_ids(app: Flask) -> dict[tuple[str, str], str]:
    """(documented path, method) → the view's name, from the routes themselves."""
    ids = {}
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            ids[path, method.lower()] = rule.endpoint.removeprefix("api.")
    return ids


def _paths(app: Flask) -> dict:
    paths = copy.deepcopy(PATHS)
    for (path, method), operation_id in _operation_ids(app).items():
        if method in paths.get(path, {}):
            paths[path][method]["operationId"] = operation_id
    for (path, method, status), response_links in LINKS.items():
        paths[path][method]["responses"][status]["links"] = response_links
    return paths


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
        "paths": _paths(app),
    }
