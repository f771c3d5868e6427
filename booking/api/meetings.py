"""`/exhibitions/<id>/exhibitors/<xid>/meeting-slots`: an exhibitor's free meeting slots."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import jsonify, request

from booking.api.blueprint import bp
from booking.api.openapi import PATHS, SCHEMAS, error_responses, json_response
from booking.api.serialise import iso
from booking.errors import DomainError
from booking.exhibitions.lookup import fair_days, public_exhibition, public_exhibitor
from booking.exhibitions.meetings.slots import free_meeting_slots
from booking.exhibitions.models import MEETING_MODES
from booking.timefmt import local_zone, now_utc, parse_day


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return parse_day(value)
    except ValueError:
        raise DomainError("'date' must be YYYY-MM-DD.", field="date", code="bad_date") from None


def _mode(value: str | None) -> str | None:
    if not value:
        return None
    if value not in MEETING_MODES:
        raise DomainError("'mode' must be booth or online.", field="mode", code="bad_mode")
    return value


@bp.get("/exhibitions/<int:exhibition_id>/exhibitors/<int:exhibitor_id>/meeting-slots")
def meeting_slots(exhibition_id: int, exhibitor_id: int):
    day, mode = _day(request.args.get("date")), _mode(request.args.get("mode"))
    exhibition = public_exhibition(exhibition_id)
    exhibitor = public_exhibitor(exhibition, exhibitor_id)
    zone = local_zone()
    days = [day] if day else fair_days(exhibition)
    start = datetime.combine(days[0], time(0), tzinfo=zone)
    end = datetime.combine(days[-1] + timedelta(days=1), time(0), tzinfo=zone)
    slots = free_meeting_slots(exhibitor, start, end, now_utc(), mode)
    return jsonify(
        exhibitor=exhibitor.id,
        minutes=exhibition.meeting_minutes,
        items=[{"start": iso(s.start), "end": iso(s.end), "mode": s.mode} for s in slots],
    )


def _param(name: str, where: str, schema: dict, description: str = "") -> dict:
    out = {"name": name, "in": where, "required": where == "path", "schema": schema}
    return out | ({"description": description} if description else {})


SCHEMAS["MeetingSlot"] = {
    "type": "object",
    "properties": {
        "start": {"type": "string", "format": "date-time"},
        "end": {"type": "string", "format": "date-time"},
        "mode": {"type": "string", "enum": list(MEETING_MODES)},
    },
    "required": ["start", "end", "mode"],
}

PATHS["/exhibitions/{exhibition_id}/exhibitors/{exhibitor_id}/meeting-slots"] = {
    "get": {
        "summary": "Free meeting (商談) slots of an accepted exhibitor of a published exhibition",
        "security": [{}, {"bearer": []}],
        "parameters": [
            _param("exhibition_id", "path", {"type": "integer"}),
            _param("exhibitor_id", "path", {"type": "integer"}),
            _param(
                "date",
                "query",
                {"type": "string", "format": "date"},
                "YYYY-MM-DD (Tokyo); default every day of the fair",
            ),
            _param("mode", "query", {"type": "string", "enum": list(MEETING_MODES)}),
        ],
        "responses": {
            **json_response(
                "200",
                "free slots, bookable now (the notice before a meeting has not passed)",
                {
                    "type": "object",
                    "properties": {
                        "exhibitor": {"type": "integer"},
                        "minutes": {"type": "integer"},
                        "items": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/MeetingSlot"},
                        },
                    },
                },
            ),
            **error_responses(400, 404),
        },
    }
}
