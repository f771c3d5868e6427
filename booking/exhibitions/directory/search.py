"""The public exhibitor directory: accepted exhibitors by category, zone and keyword.

The database orders and pages the exhibitors, so a page builds only its own cards
(booking/exhibitions/cards.py: what a card shows, the logo's digest but never its bytes). A keyword is matched in Python over the candidates' searched columns, folded the way
people type: full-width and half-width letters alike, hiragana as katakana, case ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from booking.accounts.models import Company
from booking.errors import DomainError
from booking.events.models import Event
from booking.exhibitions.directory.cards import KANA, NAME, Card, build_cards, card_rows
from booking.exhibitions.models import Booth, Exhibition, Exhibitor, Zone, exhibitor_categories
from booking.extensions import db
from booking.org.models import Unit
from booking.org.services import units_of_kind
from booking.textnorm import to_katakana

MAX_WORDS = 5


class UnknownFilter(DomainError):
    """A filter value that names nothing (an unknown category or zone)."""

    code, status = "unknown_filter", 400


@dataclass
class DirectoryFilters:
    category: str = ""  # a section's slug
    zone: str = ""  # a zone's code
    q: str = ""


def fold(text: str) -> str:
    """Text as compared by the keyword search (ＡＢＣ = abc, ひらがな = ヒラガナ)."""
    return to_katakana(text).casefold()


def categories() -> list[Unit]:
    """What exhibitors may be filed under: the chamber's sections."""
    return units_of_kind("section")


def check_filters(exhibition: Exhibition, filters: DirectoryFilters) -> DirectoryFilters:
    """Normalised filters. :raises UnknownFilter: a category or zone that does not exist."""
    category, zone = filters.category.strip(), filters.zone.strip()
    if category and category not in {u.slug for u in categories()}:
        raise UnknownFilter(_l("その分野はありません。"), field="category")
    if zone and zone.upper() not in {z.code.upper() for z in exhibition.zones}:
        raise UnknownFilter(_l("そのゾーンはありません。"), field="zone")
    return DirectoryFilters(category=category, zone=zone.upper(), q=filters.q.strip()[:100])


@dataclass
class Found:
    """One page of the directory: `items` from `offset` of `total` matching exhibitors."""

    items: list[Card]
    total: int
    offset: int
    limit: int

    @property
    def number(self) -> int:
        return self.offset // self.limit + 1

    @property
    def pages(self) -> int:
        return page_count(self.total, self.limit)

    @property
    def last(self) -> int:
        return self.offset + len(self.items)

    def page_links(self, around: int = 2) -> list[int | None]:
        """Page numbers for the page links: the first, the last and those near this one;
        None where some are left out."""
        near = set(range(self.number - around, self.number + around + 1)) | {1, self.pages}
        shown: list[int | None] = []
        before = 0
        for n in sorted(p for p in near if 1 <= p <= self.pages):
            if n - before > 1:
                shown.append(None)
            shown.append(n)
            before = n
        return shown


def page_count(total: int, per_page: int) -> int:
    """Pages needed for `total` entries; an empty result still has its one (empty) page."""
    return max(1, -(-total // per_page))


def _conditions(exhibition: Exhibition, filters: DirectoryFilters) -> list:
    """WHERE clauses for the accepted exhibitors matching the category and zone."""
    conditions = [Exhibitor.exhibition_id == exhibition.id, Exhibitor.status == "accepted"]
    if filters.category:
        conditions.append(
            exists()
            .where(exhibitor_categories.c.exhibitor_id == Exhibitor.id)
            .where(exhibitor_categories.c.unit_id == Unit.id)
            .where(Unit.kind == "section", Unit.slug == filters.category)
        )
    if filters.zone:
        conditions.append(
            exists()
            .where(Booth.exhibitor_id == Exhibitor.id, Booth.zone_id == Zone.id)
            .where(Zone.exhibition_id == exhibition.id, Zone.code == filters.zone)
        )
    return conditions


def _order() -> list:
    """Furigana order (the company's when the page has none), then name, then id.

    Stored furigana are katakana already, so code point order is kana order; PostgreSQL is
    told so (COLLATE "C"), as a database created with a locale would otherwise sort by it
    and the pages would not match the order SQLite gives."""
    kana, name = KANA, NAME
    if db.session.get_bind().dialect.name == "postgresql":
        kana, name = kana.collate("C"), name.collate("C")
    return [kana, name, Exhibitor.id]


def _matching_rows(conditions: list, words: list[str], texts: bool) -> list:
    """Card rows of the candidates whose text has every word, in directory order.

    Folding happens in Python (the database cannot fold kana and widths the same way), over
    the few text columns searched; the same query brings what the page's cards show."""
    searched = (Company.name, Company.name_kana, Exhibitor.pr_text, Exhibitor.products)
    query = card_rows(texts).add_columns(
        *(c.label(f"searched_{i}") for i, c in enumerate(searched))
    )
    found = []
    for row in db.session.execute(query.where(*conditions).order_by(*_order())):
        text = fold("\n".join(part or "" for part in (row.name, row.kana, *row[-len(searched) :])))
        if all(w in text for w in words):
            found.append(row)
    return found


def find_exhibitors(
    exhibition: Exhibition, filters: DirectoryFilters, *, offset: int | Callable[[int], int],
    limit: int, texts: bool = False,
) -> Found:  # fmt: skip
    """Cards of the accepted exhibitors matching the filters, in furigana order, `limit` from
    `offset` (or from `offset(total)`, for callers that choose the page once the total is
    known); with `texts`, the cards carry the PR text, products and website too.

    Only the page's cards are built; a fixed number of queries whatever the total.

    :raises UnknownFilter:
    """
    filters = check_filters(exhibition, filters)
    conditions = _conditions(exhibition, filters)
    words = [fold(w) for w in filters.q.split()[:MAX_WORDS]]
    if words:
        rows = _matching_rows(conditions, words, texts)
        start = offset(len(rows)) if callable(offset) else offset
        return Found(build_cards(rows[start : start + limit], texts), len(rows), start, limit)
    total = db.session.scalar(select(func.count(Exhibitor.id)).where(*conditions)) or 0
    start = offset(total) if callable(offset) else offset
    rows = db.session.execute(
        card_rows(texts).where(*conditions).order_by(*_order()).offset(start).limit(limit)
    )
    return Found(build_cards(rows, texts), total, start, limit)


def page_offset(page: int, per_page: int) -> Callable[[int], int]:
    """`offset` for find_exhibitors: the page asked for, kept within the pages there are."""
    return lambda total: (min(max(page, 1), page_count(total, per_page)) - 1) * per_page


def published_exhibitions() -> list[Exhibition]:
    """Exhibitions whose visitor event is published, soonest first."""
    return list(
        db.session.scalars(
            select(Exhibition)
            .join(Event, Event.id == Exhibition.event_id)
            .where(Event.status == "published")
            .order_by(Event.starts_at, Exhibition.id)
            .options(selectinload(Exhibition.event), selectinload(Exhibition.zones))
        )
    )


def zones_of(exhibitor: Exhibitor | Card) -> list[Zone]:
    """The zones of the exhibitor's booths (usually one), without repeats."""
    return list({b.zone.id: b.zone for b in exhibitor.booths}.values())
