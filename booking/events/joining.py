"""Who gets an event's join URL: the one rule for pages, the API, feeds, invitations and mails.

`policy` answers it to everyone; it lives here, below the registration rules, so the mails
those rules plan can ask it without importing them.
"""

from __future__ import annotations

from booking.events.models import Registration


def may_join(reg: Registration | None) -> bool:
    """The join URL is for a confirmed registration in an online frame of an event still on.

    An in-person attendee of a hybrid event does not get it: their seat is in the room (to
    join online they move to an online frame, see `online_frames_open_to`).
    """
    if reg is None:
        return False
    event = reg.event
    return (
        reg.status == "confirmed"
        and event.status != "cancelled"
        and reg.frame.mode == "online"
        and bool(event.online_url)
    )


def join_url(reg: Registration | None) -> str | None:
    """The event's online URL if `may_join` allows it, else None."""
    return reg.event.online_url if may_join(reg) else None
