"""Which exhibitions the signed-in staff member manages (the rules are in `policy`)."""

from __future__ import annotations

from flask_login import current_user

from booking.errors import NotFound
from booking.exhibitions import policy
from booking.exhibitions.lookup import get_exhibition
from booking.exhibitions.models import Exhibition
from booking.org import policy as org_policy


def managed_exhibition(exhibition_id: int) -> Exhibition:
    """The exhibition, if the signed-in staff member manages its event; else 404."""
    exhibition = get_exhibition(exhibition_id)
    if not policy.may_manage_exhibition(current_user, exhibition):
        raise NotFound()
    return exhibition


def managed_unit_id() -> int | None:
    """None for HQ staff and admins (they see every exhibition), else their unit."""
    return org_policy.managed_unit_id(current_user)
