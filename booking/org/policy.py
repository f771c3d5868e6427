"""Who oversees which part of the organisation: one rule for every domain's staff pages.

Admins and headquarters staff see and manage every unit's events, exhibitions and
consultations; branch staff only their own unit's.
"""

from __future__ import annotations

from sqlalchemy import Select, select

from booking.org.models import Unit


def sees_all_units(user) -> bool:
    """Admins and HQ staff oversee every unit (an advisor of HQ oversees nothing)."""
    return bool(
        user.is_admin or (user.is_staff and user.unit is not None and user.unit.kind == "hq")
    )


def can_manage(user, event_or_unit) -> bool:
    """Staff of a branch manage their unit's events (or anything else with a `unit_id`), and
    the unit itself; HQ staff and admins manage all."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return False
    if sees_all_units(user):
        return True
    unit_id = event_or_unit.id if isinstance(event_or_unit, Unit) else event_or_unit.unit_id
    return user.unit_id is not None and user.unit_id == unit_id


def managed_unit_id(user) -> int | None:
    """None for those who oversee every unit, else their own unit (-1: none, sees nothing)."""
    return None if sees_all_units(user) else (user.unit_id or -1)


def managed_events(user) -> Select:
    """The events `user` manages (staff pages list these)."""
    from booking.events.models import Event

    query = select(Event)
    unit_id = managed_unit_id(user)
    if unit_id is not None:
        query = query.where(Event.unit_id == unit_id)
    return query
