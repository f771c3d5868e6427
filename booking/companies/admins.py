"""Appointing and removing company administrators (会社の担当者); each change is recorded
on the person's account history, as staff changes are."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from booking.accounts.changes import record_change
from booking.accounts.models import Company, User
from booking.companies.models import CompanyAdmin
from booking.companies.policy import may_appoint, may_remove
from booking.errors import Conflict, NotAllowed, NotFound
from booking.extensions import db


def admin_ids(company_id: int) -> set[int]:
    """The ids of the company's administrators."""
    return set(
        db.session.scalars(
            select(CompanyAdmin.user_id).where(CompanyAdmin.company_id == company_id)
        )
    )


def appoint_admin(person: User, actor: User, now: datetime) -> CompanyAdmin:
    """Make `person` an administrator of their company.

    :raises NotFound: the actor may not (another company's person answers as unknown).
    :raises Conflict: already an administrator; the account is deactivated.
    """
    if not may_appoint(actor, person):
        raise NotFound(_l("この方は見つかりません。"))
    if not person.active:
        raise Conflict(_l("停止中のアカウントは担当者にできません。"), code="inactive")
    if person.id in admin_ids(person.company_id):
        raise Conflict(_l("この方は既に会社の担当者です。"), code="already_admin")
    row = CompanyAdmin(user_id=person.id, company_id=person.company_id,
                       appointed_by_id=actor.id, created_at=now)  # fmt: skip
    db.session.add(row)
    company = db.session.get(Company, person.company_id)
    record_change(person, actor, "company_admin", "", company.name if company else "", now)
    db.session.flush()
    return row


def remove_admin(person: User, actor: User, now: datetime) -> None:
    """Staff only: `person` no longer administers their company.

    :raises NotAllowed: not staff. :raises Conflict: not an administrator.
    """
    if not may_remove(actor):
        raise NotAllowed(_l("担当者の解除は事務局が行います。"))
    row = db.session.get(CompanyAdmin, person.id)
    if row is None:
        raise Conflict(_l("この方は会社の担当者ではありません。"), code="not_admin")
    company = db.session.get(Company, row.company_id)
    db.session.delete(row)
    record_change(person, actor, "company_admin", company.name if company else "", "", now)
    db.session.flush()
