"""What a person who is not a verified member is told about member frames: they exist, at
which price, and that a 会員番号 proves membership (`accounts.claims`).

Who may book a member frame is `registrations.audience_allows`; this only shows the others.
"""

from __future__ import annotations

from booking.events.catalogue import can_see_member_only
from booking.events.models import Event, Frame


def locked_member_frames(event: Event, viewer) -> list[Frame]:
    """The event's members-only frames the viewer cannot book until membership is verified."""
    if can_see_member_only(viewer):
        return []
    return [f for f in event.frames if f.audience == "members"]
