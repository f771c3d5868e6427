"""伴走支援 (support cases): from a consultation's record, the advisor opens a case for the
company and theme, or adds the consultation to the company's open case on that theme; staff
and the advisors follow it to a status (open / referred / closed) and an outcome.

Who sees a case is `policy.may_see_case`; another person's case answers 404 everywhere.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from booking.accounts.models import User
from booking.consultations.models import (
    CASE_OUTCOMES,
    CASE_STATUSES,
    Consultation,
    SupportCase,
)
from booking.consultations.policy import may_see_case, may_see_record
from booking.errors import Invalid, NotFound
from booking.extensions import db

STATUS_NAMES = {"open": _l("支援中"), "referred": _l("専門機関へ紹介"), "closed": _l("終了")}
OUTCOME_NAMES = {
    "": _l("未記入"),
    "resolved": _l("課題解決"),
    "partly": _l("一部解決"),
    "unresolved": _l("未解決"),
}


def _not_found():
    return NotFound(_l("支援案件が見つかりません。"), code="not_found")


def case_of(consultation: Consultation) -> SupportCase | None:
    return db.session.scalar(
        select(SupportCase).where(SupportCase.consultations.any(Consultation.id == consultation.id))
    )


def _same_client(consultation: Consultation):
    """The company's cases (the person's own when they have no company)."""
    if consultation.company_id is not None:
        return SupportCase.company_id == consultation.company_id
    return (SupportCase.company_id.is_(None)) & (SupportCase.member_id == consultation.member_id)


def cases_to_join(consultation: Consultation) -> list[SupportCase]:
    """The open (not closed) cases of the consultation's company on its theme."""
    return list(
        db.session.scalars(
            select(SupportCase)
            .where(
                _same_client(consultation),
                SupportCase.theme_id == consultation.theme_id,
                SupportCase.status != "closed",
            )
            .order_by(SupportCase.opened_at)
        )
    )


def attach_to_case(
    consultation: Consultation, user: User, case_id: int | None, now: datetime
) -> SupportCase:
    """Open a case with the consultation (`case_id` None) or add it to an open case of the
    same company and theme.

    :raises NotFound: the user may not see the consultation's record, or the case.
    :raises Invalid: the consultation already belongs to a case.
    """
    if not may_see_record(user, consultation):
        raise NotFound(_l("ご予約が見つかりません。"), code="not_found")
    if case_of(consultation) is not None:
        raise Invalid(_l("この相談はすでに支援案件に含まれています。"), code="already_in_case")
    if case_id is None:
        case = SupportCase(
            company_id=consultation.company_id, member_id=consultation.member_id,
            theme_id=consultation.theme_id, branch_id=consultation.branch_id,
            opened_at=now, opened_by_id=user.id, updated_at=now,
        )  # fmt: skip
        db.session.add(case)
    else:
        case = next((c for c in cases_to_join(consultation) if c.id == case_id), None)
        if case is None or not may_see_case(user, case):
            raise _not_found()
        case.updated_at = now
    case.consultations.append(consultation)
    db.session.flush()
    return case


def follow_into_case(new: Consultation, original: Consultation, user: User, now: datetime) -> None:
    """A follow-up booked from a consultation of an open case joins that case."""
    case = case_of(original)
    if case is not None and case.status != "closed" and may_see_case(user, case):
        attach_to_case(new, user, case.id, now)


def visible_case(user: User, case_id: int | None) -> SupportCase:
    """:raises NotFound: no such case, or not one the user may see."""
    case = db.session.get(SupportCase, case_id) if case_id else None
    if case is None or not may_see_case(user, case):
        raise _not_found()
    return case


def update_case(
    case: SupportCase, user: User, *, status: str, outcome: str, note: str, now: datetime
) -> None:
    """Change the status, outcome and notes. :raises NotFound, Invalid."""
    if not may_see_case(user, case):
        raise _not_found()
    if status not in CASE_STATUSES:
        raise Invalid(_l("状況を選んでください。"), field="status")
    if outcome not in CASE_OUTCOMES:
        raise Invalid(_l("成果を選んでください。"), field="outcome")
    if status == "closed" and case.status != "closed":
        case.closed_at = now
    elif status != "closed":
        case.closed_at = None
    case.status, case.outcome, case.note, case.updated_at = status, outcome, note.strip(), now
    db.session.flush()


def cases_for(user: User) -> list[SupportCase]:
    """The cases the user may see, the open ones first, newest first."""
    query = select(SupportCase).order_by(
        (SupportCase.status == "closed"), SupportCase.opened_at.desc()
    )
    if not user.is_admin:
        # Narrowed in SQL to the user's branch and their own consultations' cases, then
        # checked by the one policy function.
        mine = SupportCase.consultations.any(Consultation.advisor.has(user_id=user.id))
        query = query.where(or_(mine, SupportCase.branch_id == user.unit_id,
                                SupportCase.branch_id.is_(None)))  # fmt: skip
    return [c for c in db.session.scalars(query) if may_see_case(user, c)]
