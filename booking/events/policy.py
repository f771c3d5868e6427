"""What may still happen to a registration: cancelling it, and whether its holder came.

Views, templates, the API and mails ask these; none decides on its own. The cancelling
rule itself is `cancelling.cancel_refusal` (the registration service enforces it too).
"""

from __future__ import annotations

from datetime import datetime

from booking.events.cancelling import cancel_refusal
from booking.events.models import Registration
from booking.events.notices import registration_still_holds
from booking.extensions import db


def can_cancel(reg: Registration, now: datetime) -> bool:
    """The person may cancel (or leave the waitlist) by themselves now."""
    return cancel_refusal(reg, now) is None


def attended(reg: Registration) -> bool:
    """Came to the event: checked in at the door, or (no door online) in an online frame."""
    if reg.status != "confirmed":
        return False
    return reg.checked_in_at is not None or reg.frame.mode == "online"


def attendee_still_holds(ref: int, version: int | None, now: datetime) -> bool:
    """The send-time check of mail after the event: the registration holds and its holder came."""
    if not registration_still_holds(ref, version, now):
        return False
    return attended(db.session.get(Registration, ref))
