"""Who may follow units and receive the weekly digest."""

from __future__ import annotations

# Branches, sections and the units events are tagged with (sections and groups).
FOLLOWABLE_KINDS = ("branch", "section", "group")


def may_follow(user) -> bool:
    """Following is a member benefit (the digest tells of member-only events too)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_member and user.active)


def followable(unit) -> bool:
    return unit is not None and unit.kind in FOLLOWABLE_KINDS
