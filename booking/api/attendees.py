"""An event's attendees over the API (staff who manage the event), for another system of the
chamber (a badge printer, a CRM): the attendee list of the staff page, in its order.

The rows are those of `events/attendees.attendees`; reasonable accommodation (合理的配慮) and
answers stay on the staff pages and the CSV (README, 合理的配慮: in no API answer).
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import lazy_gettext as _l

from booking.api.auth import api_user, token_required
from booking.api.blueprint import bp
from booking.api.openapi import PATHS, SCHEMAS, error_responses, json_response
from booking.api.serialise import iso
from booking.errors import Invalid, NotAllowed, NotFound
from booking.events.attendees import attendees
from booking.events.catalogue import get_visible_event
from booking.events.models import Registration
from booking.org.policy import can_manage

STATUSES = ("active", "confirmed", "waitlisted", "applied", "cancelled", "all")
SORTS = ("kana", "created")


def attendee_json(reg: Registration) -> dict:
    user, company = reg.user, reg.company
    return {
        "id": reg.id, "reference": reg.reference, "frame": reg.frame_id, "status": reg.status,
        "name": user.full_name, "kana": user.full_kana, "email": user.email,
        "company": company.name if company else None,
        "member_no": company.member_no if company else None,
        "created_at": iso(reg.created_at), "checked_in_at": iso(reg.checked_in_at),
    }  # fmt: skip


def _choice(name: str, allowed: tuple[str, ...]) -> str:
    value = request.args.get(name, allowed[0])
    if value not in allowed:
        raise Invalid(
            _l("%(f)s は %(allowed)s のいずれかです。", f=name, allowed=", ".join(allowed)),
            field=name,
        )
    return value


@bp.get("/events/<int:event_id>/attendees")
@token_required
def list_attendees(event_id: int):
    """The event's registrations, by furigana (or `sort=created`), of `status` (default active:
    confirmed, waitlisted, applied)."""
    user = api_user()
    if not user.is_staff:
        raise NotAllowed(_l("職員のみ操作できます。"))
    event = get_visible_event(event_id, user)
    if not can_manage(user, event):
        raise NotFound(_l("イベントが見つかりません。"))
    status, sort = _choice("status", STATUSES), _choice("sort", SORTS)
    regs = attendees(event, "" if status == "all" else status, sort)
    return jsonify({"items": [attendee_json(reg) for reg in regs]})


SCHEMAS["Attendee"] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "description": "the registration"},
        "reference": {"type": "string", "description": "受付番号"},
        "frame": {"type": "integer"},
        "status": {"type": "string", "enum": ["confirmed", "waitlisted", "applied", "cancelled"]},
        "name": {"type": "string"},
        "kana": {"type": "string"},
        "email": {"type": "string"},
        "company": {"type": ["string", "null"]},
        "member_no": {"type": ["string", "null"], "description": "会員番号"},
        "created_at": {"type": "string", "format": "date-time"},
        "checked_in_at": {"type": ["string", "null"], "format": "date-time"},
    },
    "required": ["id", "reference", "frame", "status", "name", "created_at", "checked_in_at"],
}
PATHS["/events/{event_id}/attendees"] = {
    "get": {
        "summary": "An event's attendees, as on the staff attendee list (staff)",
        "description": "Staff who manage the event. `status`: active (default: confirmed, "
        "waitlisted, applied), one status, or all; `sort`: kana (furigana, default) or "
        "created. Accommodation and answers are not included.",
        "parameters": [
            {"name": "event_id", "in": "path", "required": True, "schema": {"type": "integer"}},
            {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(STATUSES)}},
            {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(SORTS)}},
        ],
        "responses": {
            **json_response(
                "200",
                "attendees",
                {
                    "type": "object",
                    "properties": {
                        "items": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Attendee"},
                        }
                    },
                },
            ),
            **error_responses(401, 403, 404, 422),
        },
    }
}
