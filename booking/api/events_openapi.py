"""The OpenAPI description of the events API (`booking/api/events.py`): paths and links; the
schemas they use are in `events_schemas`.

Kept apart from the routes because it is data, and long; it adds to the shared document
when imported (booking/api/__init__.py).
"""

from __future__ import annotations

from booking.api import events_schemas  # noqa: F401  (the schemas the paths refer to, first)
from booking.api.openapi import LINKS, PATHS, error_responses, json_response, link, links


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
_reg_id = {"name": "reg_id", "in": "path", "required": True, "schema": {"type": "integer"}}
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
        "/events/{event_id}/waitlist": {
            "get": {
                "parameters": [_id],
                "summary": "The event's waitlists in the order seats are given (staff)",
                "description": "Staff who manage the event; ordered by frame, then position "
                "(the automatic promotion's order, including moves made by staff).",
                "responses": {
                    **json_response("200", "people waiting", _items("WaitingPerson")),
                    **error_responses(401, 403, 404),
                },
            },
        },
        "/registrations/{reg_id}/checkin": {
            "post": {
                "parameters": [_reg_id],
                "summary": "Check a confirmed registration in at the door (staff)",
                "description": "Only on the event's days (local dates): 409 `not_event_day` "
                "otherwise; 409 `not_confirmed` for a registration that is not confirmed. "
                "`first` is false on a second scan. Recorded in the staff audit log.",
                "responses": {
                    **json_response("200", "checked in", "CheckIn"),
                    **error_responses(401, 403, 404, 409),
                },
            },
            "delete": {
                "parameters": [_reg_id],
                "summary": "Undo a mistaken check-in (staff)",
                "description": 'Optional body `{"reason": "…"}`; kept in the staff audit log. '
                "409 `not_checked_in` when the person was not checked in.",
                "responses": {
                    "204": {"description": "check-in undone"},
                    **error_responses(401, 403, 404, 409, 422),
                },
            },
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
