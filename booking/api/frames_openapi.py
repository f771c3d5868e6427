"""The OpenAPI description of an event's frames (`booking/api/frames.py`)."""

from __future__ import annotations

from booking.api import events_openapi  # noqa: F401  (FrameInput, described there, first)
from booking.api.openapi import LINKS, PATHS, SCHEMAS, error_responses, json_response, link, links

_CHANGE = {
    "version": {
        "type": "integer",
        "minimum": 1,
        "maximum": 2147483647,
        "description": "the event's version the change is based on (GET /events/{id}); "
        "if someone changed the event since, 409 stale_version",
    },
    "closed": {"type": "boolean", "description": "true: takes no more registrations"},
}
SCHEMAS.update(
    {
        "FrameChange": {
            "type": "object",
            "description": "PATCH: only the fields given change. capacity below the confirmed "
            "count is 422; a larger capacity promotes the waitlist at once.",
            "properties": {
                **SCHEMAS["FrameInput"]["properties"],
                **_CHANGE,
            },
        },
    }
)
SCHEMAS["FrameChange"]["properties"].pop("id", None)

_event_id = {"name": "event_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_frame_id = {"name": "frame_id", "in": "path", "required": True, "schema": {"type": "integer"}}
PATHS.update(
    {
        "/events/{event_id}/frames": {
            "get": {
                "summary": "An event's frames in their order (staff who manage it also see taken)",
                "security": [{}, {"bearer": []}],
                "parameters": [_event_id],
                "responses": {
                    **json_response(
                        "200",
                        "frames",
                        {
                            "type": "object",
                            "properties": {
                                "items": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Frame"},
                                }
                            },
                        },
                    ),
                    **error_responses(404),
                },
            },
            "post": {
                "summary": "Add a frame at the end of the event's list (staff who manage it)",
                "parameters": [_event_id],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "allOf": [{"$ref": "#/components/schemas/FrameInput"}],
                                "properties": _CHANGE,
                            }
                        }
                    },
                },
                "responses": {
                    **json_response("201", "the frame", "Frame"),
                    **error_responses(400, 401, 403, 404, 409, 422),
                },
            },
        },
        "/events/{event_id}/frames/{frame_id}": {
            "patch": {
                "summary": "Change a frame: capacity, window, audience, lottery, closed (staff)",
                "parameters": [_event_id, _frame_id],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/FrameChange"}}
                    },
                },
                "responses": {
                    **json_response("200", "the frame", "Frame"),
                    **error_responses(400, 401, 403, 404, 409, 422),
                },
            }
        },
    }
)

_one = "$response.body#"
LINKS.update(
    {
        ("/events/{event_id}/frames", "post", "201"): links(
            link("patch_frame", event_id="$request.path.event_id", frame_id=f"{_one}/id"),
        ),
        ("/events/{event_id}/frames", "get", "200"): links(
            link(
                "patch_frame",
                event_id="$request.path.event_id",
                frame_id=f"{_one}/items/0/id",
            ),
        ),
    }
)
