"""The staff account search: people and companies by name, furigana, company, 会員番号 or
e-mail, folded the way people type (full-width and half-width alike, hiragana as katakana).

Stored furigana are katakana and stored e-mails lower case, so each word is tried in the
spellings it can be stored in; every word must match some column (`山田 商事` finds 山田 of
〇〇商事). The database filters, orders (furigana order) and pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import selectinload

from booking.accounts.models import Company, User
from booking.consultations.models import Consultation
from booking.events.models import Event, Registration
from booking.exhibitions.models import Meeting
from booking.extensions import db
from booking.textnorm import nfkc, normalise_member_no, to_katakana

PER_PAGE = 20
MAX_WORDS = 5


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def more(self) -> bool:
        return self.page < self.pages


def _spellings(word: str) -> set[str]:
    """The ways one typed word may be stored."""
    plain = nfkc(word)
    return {w for w in (word.strip(), plain, plain.lower(), to_katakana(word),
                        normalise_member_no(word)) if w}  # fmt: skip


def _like(column, spellings: set[str]) -> ColumnElement:
    escaped = [s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for s in spellings]
    return or_(*(column.like(f"%{s}%", escape="\\") for s in escaped))


def _words(q: str) -> list[set[str]]:
    return [_spellings(w) for w in nfkc(q).replace("\u3000", " ").split()[:MAX_WORDS]]


def _collated(*columns):
    """Furigana order is code point order (katakana): tell PostgreSQL so (COLLATE "C")."""
    if db.session.get_bind().dialect.name == "postgresql":
        return [c.collate("C") for c in columns]
    return list(columns)


def _page_of(query, count_query, page: int, per_page: int) -> Page:
    total = db.session.scalar(count_query) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    items = list(db.session.scalars(query.offset((page - 1) * per_page).limit(per_page)))
    return Page(items, total, page, per_page)


def search_people(
    q: str, page: int = 1, per_page: int = PER_PAGE, *, active_role: str | None = None
) -> Page:
    """People whose name, furigana, e-mail, company name or furigana, or 会員番号 has every
    word of `q` (everyone when `q` is empty), in furigana order; with `active_role`, only
    active accounts of that role."""
    name = User.family_name + User.given_name
    kana = User.family_kana + User.given_kana
    columns = (User.family_name, User.given_name, name, User.family_kana, User.given_kana, kana,
               User.email, Company.name, Company.name_kana, Company.member_no)  # fmt: skip
    where = [or_(*(_like(c, s) for c in columns)) for s in _words(q)]
    if active_role:
        where += [User.role == active_role, User.active.is_(True)]
    base = select(User).outerjoin(Company, Company.id == User.company_id).where(*where)
    query = base.options(selectinload(User.company), selectinload(User.unit)).order_by(
        *_collated(User.family_kana, User.given_kana, User.family_name), User.id
    )
    count = select(func.count()).select_from(base.with_only_columns(User.id).subquery())
    return _page_of(query, count, page, per_page)


def search_companies(q: str, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Companies whose name, furigana or 会員番号 has every word of `q`, in furigana order."""
    columns = (Company.name, Company.name_kana, Company.member_no)
    where = [or_(*(_like(c, s) for c in columns)) for s in _words(q)]
    base = select(Company).where(*where)
    query = base.options(selectinload(Company.branch)).order_by(
        *_collated(Company.name_kana, Company.name), Company.id
    )
    count = select(func.count()).select_from(base.with_only_columns(Company.id).subquery())
    return _page_of(query, count, page, per_page)


@dataclass
class Bookings:
    """Everything one person (or one company's people) booked, newest first."""

    registrations: list[Registration]
    consultations: list[Consultation]
    meetings: list[Meeting]


def bookings_of(user_ids: list[int], limit: int = 100) -> Bookings:
    """Event registrations, consultations and 商談 meetings of these people."""
    if not user_ids:
        return Bookings([], [], [])
    regs = db.session.scalars(
        select(Registration).join(Event).where(Registration.user_id.in_(user_ids))
        .options(selectinload(Registration.event), selectinload(Registration.frame),
                 selectinload(Registration.user))
        .order_by(Event.starts_at.desc(), Registration.id.desc()).limit(limit)
    )  # fmt: skip
    consultations = db.session.scalars(
        select(Consultation).where(Consultation.member_id.in_(user_ids))
        .options(selectinload(Consultation.theme), selectinload(Consultation.advisor),
                 selectinload(Consultation.member), selectinload(Consultation.record))
        .order_by(Consultation.starts_at.desc(), Consultation.id.desc()).limit(limit)
    )  # fmt: skip
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.visitor_id.in_(user_ids))
        .options(selectinload(Meeting.exhibitor), selectinload(Meeting.visitor))
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(limit)
    )  # fmt: skip
    return Bookings(list(regs), list(consultations), list(meetings))


def people_of(company: Company) -> list[User]:
    """The company's people, in furigana order."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.company_id == company.id)
            .order_by(*_collated(User.family_kana, User.given_kana), User.id)
        )
    )


def event_no_shows(registrations: list[Registration], now: datetime) -> list[Registration]:
    """The person's no-shows among their registrations (`events.passes.is_no_show`)."""
    from booking.events.passes import is_no_show

    return [r for r in registrations if is_no_show(r, now)]


def consultation_no_shows(consultations: list[Consultation]) -> list[Consultation]:
    """Consultations the advisor recorded as 無断欠席."""
    return [c for c in consultations if c.record is not None and c.record.attendance == "no_show"]
