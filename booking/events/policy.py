"""What may still happen to a registration, and whether its holder came.

Views, templates, the API and mails ask these; none decides on its own.
"""

from __future__ import annotations

from booking.events.models import Registration


def attended(reg: Registration) -> bool:
    """Came to the event: checked in at the door, or (no door online) in an online frame."""
    if reg.status != "confirmed":
        return False
    return reg.checked_in_at is not None or reg.frame.mode == "online"
