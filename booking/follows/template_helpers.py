"""What templates ask of follows: the state of a follow button."""

from __future__ import annotations

from flask import g
from flask_login import current_user

from booking.follows.policy import followable, may_follow
from booking.follows.services import followed_unit_ids


def follow_button_state(unit) -> str:
    """`follow`, `following`, or "" (no button: a guest, or a unit one cannot follow)."""
    if not followable(unit) or not may_follow(current_user):
        return ""
    if "followed_unit_ids" not in g:
        g.followed_unit_ids = followed_unit_ids(current_user)
    return "following" if unit.id in g.followed_unit_ids else "follow"
