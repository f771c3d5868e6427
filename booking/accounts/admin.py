"""Account administration used by commands and staff: create with company and branch."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from booking.accounts.models import Company, User
from booking.accounts.services import PersonDetails, create_user
from booking.errors import Invalid
from booking.extensions import db
from booking.org.services import unit_by_key
from booking.textnorm import nfkc, normalise_member_no


def create_account(
    email: str,
    password: str,
    role: str,
    name: str,
    company_name: str,
    member_no: str,
    branch: str,
    now: datetime,
) -> User:
    """`users create`: an account, its company (found by member number) and branch.

    :raises Invalid | Conflict: bad role, unknown branch, e-mail taken.
    """
    branch_unit = unit_by_key(f"branch:{branch}") if branch else None
    if branch and branch_unit is None:
        raise Invalid(_l("不明な支部です: %(slug)s", slug=branch), field="branch")
    family, _, given = nfkc(name).partition(" ")
    company = None
    member_no = normalise_member_no(member_no)
    if company_name or member_no:
        if member_no:
            company = db.session.scalar(select(Company).where(Company.member_no == member_no))
        if company is None:
            company = Company(name=nfkc(company_name), member_no=member_no or None)
            db.session.add(company)
        company.branch = branch_unit or company.branch
    unit_key = branch_unit.key if branch_unit and role in ("staff", "advisor") else None
    if role in ("staff", "admin") and unit_key is None:
        unit_key = "hq"
    return create_user(
        email,
        password,
        role,
        PersonDetails(family_name=family, given_name=given),
        company=company,
        unit_key=unit_key,
        confirmed_at=now,
    )
