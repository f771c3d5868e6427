"""How a confirmed person takes part: online (the join URL) or in the room (the QR pass).

The one rule for pages, the API, feeds, invitations, mails and passes. `policy` answers it to
everyone; it lives here, below the registration rules, so the mails those rules plan can ask
it without importing them.
"""

from __future__ import annotations

from booking.events.models import Registration


def attends_online(reg: Registration | None) -> bool:
    """A confirmed registration in an online frame of an event still on: no door, so no pass;
    the join URL instead (once the event has one)."""
    return (
        reg is not None
        and reg.status == "confirmed"
        and reg.event.status != "cancelled"
        and reg.frame.mode == "online"
    )


def may_join(reg: Registration | None) -> bool:
    """The join URL is for a confirmed registration in an online frame of an event still on.

    An in-person attendee of a hybrid event does not get it: their seat is in the room (to
    join online they move to an online frame, see `online_frames_open_to`).
    """
    return attends_online(reg) and bool(reg.event.online_url)


def join_url(reg: Registration | None) -> str | None:
    """The event's online URL if `may_join` allows it, else None."""
    return reg.event.online_url if may_join(reg) else None


def has_pass(reg: Registration | None) -> bool:
    """A QR pass for the door: a confirmed registration in a frame with a room (not online)
    of an event still on."""
    return (
        reg is not None
        and reg.status == "confirmed"
        and reg.frame.mode != "online"
        and reg.event.status != "cancelled"
    )
