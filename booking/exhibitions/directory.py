"""The public exhibitor directory: accepted exhibitors by category, zone and keyword.

A fair has a few hundred exhibitors, so one query loads every candidate with what the list
shows (company, categories, booths and zones, the logo's digest but never its bytes), and the
keyword is matched in Python on text folded the way people type it: full-width and
half-width letters alike, hiragana as katakana, case ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from booking.accounts.models import Company
from booking.errors import DomainError
from booking.events.models import Event
from booking.exhibitions.models import (
    Booth,
    Exhibition,
    Exhibitor,
    ExhibitorLogo,
    Zone,
    exhibitor_categories,
)
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


def _search_text(exhibitor: Exhibitor) -> str:
    parts = (exhibitor.name, exhibitor.kana, exhibitor.company.name, exhibitor.company.name_kana,
             exhibitor.pr_text, exhibitor.products)  # fmt: skip
    return fold("\n".join(p or "" for p in parts))


def find_exhibitors(exhibition: Exhibition, filters: DirectoryFilters) -> list[Exhibitor]:
    """Accepted exhibitors matching the filters, in furigana order; a fixed number of queries.

    :raises UnknownFilter:
    """
    filters = check_filters(exhibition, filters)
    query = select(Exhibitor).where(
        Exhibitor.exhibition_id == exhibition.id, Exhibitor.status == "accepted"
    )
    if filters.category:
        query = query.where(
            exists()
            .where(exhibitor_categories.c.exhibitor_id == Exhibitor.id)
            .where(exhibitor_categories.c.unit_id == Unit.id)
            .where(Unit.kind == "section", Unit.slug == filters.category)
        )
    if filters.zone:
        query = query.where(
            exists()
            .where(Booth.exhibitor_id == Exhibitor.id, Booth.zone_id == Zone.id)
            .where(Zone.exhibition_id == exhibition.id, Zone.code == filters.zone)
        )
    # Only the columns the list shows: a fair's directory is a few hundred rows of each.
    query = query.options(
        selectinload(Exhibitor.company).load_only(Company.name, Company.name_kana),
        selectinload(Exhibitor.categories).load_only(Unit.slug, Unit.name, Unit.position),
        selectinload(Exhibitor.booths)
        .load_only(Booth.code, Booth.zone_id, Booth.exhibitor_id)
        .selectinload(Booth.zone)
        .load_only(Zone.code, Zone.name),
        selectinload(Exhibitor.logo).load_only(ExhibitorLogo.digest),
    )
    found = list(db.session.scalars(query))
    words = [fold(w) for w in filters.q.split()[:MAX_WORDS]]
    if words:
        found = [x for x in found if all(w in _search_text(x) for w in words)]
    return sorted(found, key=lambda x: (fold(x.kana), fold(x.name), x.id))


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


def zones_of(exhibitor: Exhibitor) -> list[Zone]:
    """The zones of the exhibitor's booths (usually one), without repeats."""
    return list({b.zone.id: b.zone for b in exhibitor.booths}.values())
