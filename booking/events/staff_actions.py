"""Staff changes to bookings that go into the audit log: capacity and cancellation on behalf of
an attendee. (The waitlist, the door and the lottery record theirs in their own modules.)"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from booking.accounts.models import User
from booking.events import audit
from booking.events.models import Frame, Registration
from booking.events.registrations import cancel_registration, change_capacity


def change_capacity_by(frame: Frame, capacity, now: datetime, *, by: User) -> list[Registration]:
    """`change_capacity`, recorded: the frame's capacity before and after, and whom an increase
    promoted (each of them also gets an entry of their own, so their page shows it).

    :raises Invalid: below the confirmed count.
    """
    before = frame.capacity
    promoted = change_capacity(frame, capacity, now)
    if frame.capacity != before:
        audit.record(
            frame.event, "capacity", by=by, now=now,
            before={"frame_name": frame.name, "capacity": before},
            after={"frame_name": frame.name, "capacity": frame.capacity,
                   "promoted": [r.reference for r in promoted]},
        )  # fmt: skip
        for reg in promoted:
            audit.record(
                frame.event, "promote", by=by, now=now, registration=reg,
                reason=_capacity_reason(), before={"status": "waitlisted"},
                after={"status": "confirmed"},
            )  # fmt: skip
    return promoted


def _capacity_reason() -> str:
    return _("定員の変更による自動の繰り上げ")


def cancel_on_behalf(
    reg: Registration, now: datetime, *, by: User, reason: str = ""
) -> list[Registration]:
    """Staff cancel a registration for its holder (no deadline applies), recorded with whom the
    freed seat promoted. :raises Conflict: already cancelled."""
    status = reg.status
    promoted = cancel_registration(reg, now, by_staff=True)
    audit.record(
        reg.event, "cancel", by=by, now=now, registration=reg, reason=reason,
        before={"status": status},
        after={"status": "cancelled", "promoted": [r.reference for r in promoted]},
    )  # fmt: skip
    return promoted
