"""Per-company limits: how many people of one member company an event, and each of its
frames, take (active registrations: confirmed, waitlisted or applied).

The event's limit counts every frame, so a company cannot send twice the limit to a hybrid
event by using both. The registration service checks both limits under the company's row
lock (`check_company_limit`), so colleagues registering at the same moment are counted one
after the other; pages ask `company_limit_refusal` before the confirm step.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from booking.accounts.models import Company
from booking.errors import Conflict
from booking.events.models import ACTIVE_STATUSES, Event, Frame, Registration
from booking.extensions import db


class CompanyLimit(Conflict):
    code = "company_limit"


def _lock_company(company_id: int) -> None:
    """Serialise registrations of one company (PostgreSQL row lock; SQLite is serial anyway)."""
    db.session.execute(select(Company.id).where(Company.id == company_id).with_for_update())


def frame_count(frame_id: int, company_id: int, statuses=ACTIVE_STATUSES) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.frame_id == frame_id,
            Registration.company_id == company_id,
            Registration.status.in_(statuses),
        )
    )


def company_in_event(event_id: int, company_id: int, statuses=ACTIVE_STATUSES) -> int:
    """The company's registrations in every frame of the event."""
    return db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.event_id == event_id,
            Registration.company_id == company_id,
            Registration.status.in_(statuses),
        )
    )


def event_limit_refusal(event: Event, company_id: int | None) -> str | None:
    """Why one more person of this company may not register for the event (its limit across
    all frames is reached); None when there is room or no limit."""
    limit = event.per_company_limit
    if company_id and limit and company_in_event(event.id, company_id) >= limit:
        return _l(
            "このイベントは1社%(n)s名まで（すべての参加枠の合計）です。"
            "貴社からは既に%(n)s名がお申し込み済みです。",
            n=limit,
        )
    return None


def company_limit_refusal(frame: Frame, company_id: int | None, moving: bool = False) -> str | None:
    """Why one more person of this company may not register in `frame`: the event's limit
    across all its frames, then the frame's own; None when they fit (read without a lock:
    the registration service asks again under the company's lock). `moving`: a registration
    of the event changes frame, so the event's count does not grow."""
    if not company_id:
        return None
    if not moving and (refusal := event_limit_refusal(frame.event, company_id)):
        return refusal
    if frame.per_company_limit and (frame_count(frame.id, company_id) >= frame.per_company_limit):
        return _l("この参加枠は1社%(n)s名までです。", n=frame.per_company_limit)
    return None


def limited(frame: Frame, company_id: int | None) -> bool:
    """Whether a per-company limit counts this company's registrations in `frame`."""
    return bool(company_id and (frame.per_company_limit or frame.event.per_company_limit))


def check_company_limit(frame: Frame, company_id: int | None, moving: bool = False) -> None:
    """One more of this company fits the event's and the frame's per-company limits.

    The company's row is locked first, so colleagues registering at the same moment (in any
    frame of the event) are counted one after the other. :raises CompanyLimit:
    """
    if limited(frame, company_id):
        _lock_company(company_id)
        refusal = company_limit_refusal(frame, company_id, moving)
        if refusal:
            raise CompanyLimit(refusal)


def company_full(frame: Frame, company_id: int) -> bool:
    """The company already has as many confirmed seats as the frame or the event allows."""
    if frame.per_company_limit and (
        frame_count(frame.id, company_id, ("confirmed",)) >= frame.per_company_limit
    ):
        return True
    limit = frame.event.per_company_limit
    return bool(limit) and company_in_event(frame.event_id, company_id, ("confirmed",)) >= limit
