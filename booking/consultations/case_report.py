"""The yearly count of support cases (伴走支援) for the chamber's business report: cases
opened in a fiscal year, by theme, branch and outcome."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from booking.accounts.models import User
from booking.consultations.cases import OUTCOME_NAMES
from booking.consultations.models import CASE_OUTCOMES, SupportCase
from booking.extensions import db
from booking.localnames import localized
from booking.org.policy import managed_unit_id
from booking.timefmt import local_zone


def fiscal_year_of(day: date) -> int:
    """Japan's fiscal year (年度) runs April to March: 2026年度 is April 2026 – March 2027."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[datetime, datetime]:
    """Local midnight of 1 April of `year` and of the next year (start included, end not)."""
    zone = local_zone()
    return datetime(year, 4, 1, tzinfo=zone), datetime(year + 1, 4, 1, tzinfo=zone)


@dataclass
class CaseReport:
    year: int
    total: int = 0
    # (theme name, branch name) → Counter of outcome; rows in theme, then branch order.
    rows: dict[tuple[str, str], Counter] = field(default_factory=dict)
    by_status: Counter = field(default_factory=Counter)
    by_outcome: Counter = field(default_factory=Counter)


def case_report(user: User, year: int) -> CaseReport:
    """Cases opened in fiscal `year` that the staff member oversees (their branch's, every
    branch's for HQ and admins)."""
    start, end = fiscal_year_bounds(year)
    query = select(SupportCase).where(SupportCase.opened_at >= start, SupportCase.opened_at < end)
    unit_id = managed_unit_id(user)
    if unit_id is not None:
        query = query.where(SupportCase.branch_id == unit_id)
    report = CaseReport(year=year)
    cases = sorted(
        db.session.scalars(query),
        key=lambda c: (c.theme.position, c.branch.position if c.branch else -1, c.id),
    )
    for case in cases:
        key = (localized(case.theme), localized(case.branch) if case.branch else str(_l("本部")))
        report.rows.setdefault(key, Counter())[case.outcome] += 1
        report.by_status[case.status] += 1
        report.by_outcome[case.outcome] += 1
        report.total += 1
    return report


def report_table(report: CaseReport) -> tuple[list[str], list[list]]:
    """The CSV's header and rows: one row a theme and branch, a column an outcome."""
    header = [str(_l("テーマ")), str(_l("担当支部")), str(_l("件数"))]
    header += [str(OUTCOME_NAMES[o]) for o in CASE_OUTCOMES]
    rows = [
        [theme, branch, sum(counts.values()), *(counts[o] for o in CASE_OUTCOMES)]
        for (theme, branch), counts in report.rows.items()
    ]
    return header, rows
