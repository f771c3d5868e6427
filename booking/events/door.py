"""The door of an event for staff: check in on the event's days only, undo a mistaken
check-in; both kept in the audit log. (The pass scan itself: `passes.check_in`.)"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from booking.accounts.models import User
from booking.errors import Conflict, Invalid
from booking.events import audit
from booking.events.models import Registration
from booking.events.passes import check_in
from booking.events.policy import check_in_refusal
from booking.extensions import db


def check_in_at_door(reg: Registration, now: datetime, *, by: User) -> bool:
    """Check a confirmed registration in on one of the event's days; False on a second scan.

    :raises Conflict: not an event day (`policy.check_in_refusal`), or not confirmed.
    """
    refusal = check_in_refusal(reg.event, now)
    if refusal:
        raise Conflict(refusal, code="not_event_day")
    first = check_in(reg, now)
    if first:
        audit.record(
            reg.event, "check_in", by=by, now=now, registration=reg,
            before={"checked_in_at": None}, after={"checked_in_at": now.isoformat()},
        )  # fmt: skip
    return first


def undo_check_in(reg: Registration, now: datetime, *, by: User, reason="") -> None:
    """Undo a mistaken check-in (the person is again "not yet arrived"), kept in the audit log.

    :raises Conflict: the person was not checked in.
    :raises Invalid: a reason over 500 characters.
    """
    text = (reason or "").strip() if isinstance(reason, str) else ""
    if len(text) > 500:
        raise Invalid(_l("理由は500文字以内で入力してください。"), field="reason")
    was = reg.checked_in_at
    result = db.session.execute(
        update(Registration)
        .where(Registration.id == reg.id, Registration.checked_in_at.is_not(None))
        .values(checked_in_at=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1 or was is None:
        db.session.refresh(reg)
        raise Conflict(_l("この方は受付されていません。"), code="not_checked_in")
    db.session.refresh(reg)
    audit.record(
        reg.event, "undo_check_in", by=by, now=now, registration=reg, reason=text,
        before={"checked_in_at": was.isoformat()}, after={"checked_in_at": None},
    )  # fmt: skip
