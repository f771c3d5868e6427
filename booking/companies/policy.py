"""Who may see and act for a company (会社の担当者), in one place.

- A company administrator sees their own company only: its people, every colleague's event
  registrations, that a colleague has a consultation and when (never its theme, topic or
  record: those stay with the colleague and the advisors), and the company's no-show record.
  Any other company, person or registration answers 404.
- Staff appoint and remove administrators of any company; an administrator may appoint a
  colleague of their own company.
- A seat is handed over by its holder or by an administrator of the holder's company, to an
  active colleague of the same company.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from booking.accounts.models import User
from booking.accounts.policy import may_see_accounts
from booking.companies.models import CompanyAdmin
from booking.events.models import Registration
from booking.extensions import db
from booking.timefmt import as_utc


def is_company_admin(user: User) -> bool:
    """An active signed-in person who administers the company they belong to."""
    if not getattr(user, "is_authenticated", False) or not user.active or not user.company_id:
        return False
    return (
        db.session.scalar(
            select(CompanyAdmin.user_id).where(
                CompanyAdmin.user_id == user.id, CompanyAdmin.company_id == user.company_id
            )
        )
        is not None
    )


def is_colleague(admin: User, person: User | None) -> bool:
    """`person` is an active member of the administrator's own company."""
    return (
        person is not None
        and person.active
        and person.company_id is not None
        and person.company_id == admin.company_id
        and person.role in ("member", "guest")
    )


def may_appoint(actor: User, person: User) -> bool:
    """Name `person` an administrator of their company."""
    if may_see_accounts(actor):
        return person.company_id is not None
    return is_company_admin(actor) and is_colleague(actor, person)


def may_remove(actor: User) -> bool:
    """Removing an administrator is the chamber's decision (staff)."""
    return may_see_accounts(actor)


def may_hand_over(actor: User, reg: Registration) -> bool:
    """The holder of the seat, or an administrator of the holder's company."""
    if reg.user_id == actor.id:
        return True
    return (
        reg.company_id is not None
        and reg.company_id == actor.company_id
        and (is_company_admin(actor))
    )


def seat_refusal(reg: Registration, now: datetime) -> tuple[str, str] | None:
    """Why this seat can no longer change hands, as (code, message), or None while it can: a
    confirmed seat, not yet checked in, of an event neither cancelled nor over. The company page
    offers the hand-over link only when this says None; the hand-over itself asks it again under
    the seat's lock."""
    if reg.status != "confirmed":
        return "not_confirmed", _l("確定したお席だけをお譲りいただけます。")
    if reg.checked_in_at is not None:
        return "checked_in", _l("受付済みのお席はお譲りいただけません。")
    event = reg.event
    if event.status == "cancelled" or as_utc(event.ends_at) <= now:
        return "event_over", _l("このイベントのお席はお譲りいただけません。")
    return None
