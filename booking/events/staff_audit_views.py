"""The staff audit log of an event (/staff/events/<id>/audit)."""

from __future__ import annotations

from flask import Blueprint, render_template

from booking.events.audit import audit_for_event
from booking.events.staff_pages import managed_event
from booking.staff.access import staff_required

bp = Blueprint("staff_audit", __name__, url_prefix="/staff/events")


@bp.get("/<int:event_id>/audit")
@staff_required
def event_audit(event_id: int):
    event = managed_event(event_id)
    return render_template(
        "staff/events/audit.html", event=event, entries=audit_for_event(event.id)
    )
