"""`/exhibitions/<id>/entries`: door scans from entrance devices (staff tokens)."""

from __future__ import annotations

from contextlib import suppress
from datetime import date

from flask import jsonify
from flask_babel import lazy_gettext as _l

from booking.api.auth import api_user, token_required
from booking.api.blueprint import bp, json_body
from booking.api.openapi import PATHS, SCHEMAS, error_responses, json_response
from booking.errors import Conflict, Invalid, NotAllowed, NotFound
from booking.exhibitions.entrance.entries import ENTERED, EntryResult, scan
from booking.main.errors import api_error
from booking.timefmt import as_utc, now_utc, parse_day
from booking.unit_of_work import keep_changes


@bp.post("/exhibitions/<int:exhibition_id>/entries")
@token_required
def post_entry(exhibition_id: int):
    user = api_user()
    if not user.is_staff:
        raise NotAllowed(_l("職員のみ操作できます。"))
    body = json_body()
    token, entrance, day = body.get("pass"), body.get("entrance"), body.get("day")
    if not isinstance(token, str) or not token.strip():
        raise Invalid(_l("pass は参加証の文字列で指定してください。"), field="pass")
    if not isinstance(entrance, str) or not entrance.strip():
        raise Invalid(_l("entrance は入口の名前で指定してください。"), field="entrance")
    result = scan(exhibition_id, token, entrance, now_utc(), staff=user, day=_day(day))
    if result.refused:
        # Answered, not raised: a raised error would roll back, and a refused scan keeps what
        # it did (as before the unit of work). The body is the error handler's.
        keep_changes()
        refusal = (
            NotFound(result.message, code="unknown_pass")
            if result.outcome == "unknown_pass"
            else Conflict(result.message, code=result.outcome)
        )
        return api_error(refusal.status, refusal.code, refusal.message)
    return jsonify(_entry_json(result)), 201 if result.outcome == ENTERED else 200


def _day(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        with suppress(ValueError):
            return parse_day(value)
    raise Invalid(_l("day は YYYY-MM-DD の形式で指定してください。"), field="day")


def _entry_json(result: EntryResult) -> dict:
    return {
        "result": result.outcome,
        "day": result.day.isoformat(),
        "entered_at": as_utc(result.entered_at).isoformat(),
        "entrance": result.entered_by,
        "registration": result.visitor,
    }


# ---- OpenAPI

SCHEMAS["Entry"] = {
    "type": "object",
    "description": "The visitor's entry of that day: the new one, or the first one.",
    "properties": {
        "result": {"type": "string", "enum": ["entered", "already"]},
        "day": {"type": "string", "format": "date"},
        "entered_at": {"type": "string", "format": "date-time"},
        "entrance": {"type": "string", "description": "where the visitor entered that day"},
        "registration": {
            "type": "object",
            "properties": {
                "reference": {"type": "string"},
                "name": {"type": "string"},
                "kana": {"type": "string"},
                "company": {"type": ["string", "null"]},
                "frame": {"type": "string"},
            },
        },
    },
    "required": ["result", "day", "entered_at", "entrance"],
}
PATHS["/exhibitions/{exhibition_id}/entries"] = {
    "post": {
        "summary": "Record a visitor's entry at a door (staff): at most one entry per pass and day",
        "description": (
            "404 `unknown_pass`: no such pass. 409 with code `other_event`, `not_confirmed`, "
            "`online_only`, `not_fair_day` or `unknown_entrance`: the visitor is turned away."
        ),
        "parameters": [
            {"name": "exhibition_id", "in": "path", "required": True, "schema": {"type": "integer"}}
        ],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "pass": {"type": "string", "description": "the QR pass token"},
                            "entrance": {"type": "string", "examples": ["東口"]},
                            "day": {
                                "type": "string",
                                "format": "date",
                                "description": "local fair day; today in Tokyo when omitted",
                            },
                        },
                        "required": ["pass", "entrance"],
                    }
                }
            },
        },
        "responses": {
            **json_response("201", "entered: the first entry of the day", "Entry"),
            **json_response("200", "already entered that day (when and where)", "Entry"),
            **error_responses(401, 403, 404, 409, 422),
        },
    }
}
