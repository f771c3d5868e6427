"""Which exhibitions a staff member manages: those of the events they manage."""

from __future__ import annotations

from flask_login import current_user

from booking.errors import NotFound
from booking.events.services import can_manage
from booking.exhibitions.lookup import get_exhibition
from booking.exhibitions.models import Exhibition


def managed_exhibition(exhibition_id: int) -> Exhibition:
    """The exhibition, if the signed-in staff member manages its event; else 404."""
    exhibition = get_exhibition(exhibition_id)
    if not can_manage(current_user, exhibition.event):
        raise NotFound()
    return exhibition


def managed_unit_id() -> int | None:
    """None for HQ staff and admins (they see every exhibition), else their unit."""
    user = current_user
    if user.is_admin or (user.unit is not None and user.unit.kind == "hq"):
        return None
    return user.unit_id or -1
