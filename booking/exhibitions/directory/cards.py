"""Directory cards: what the public directory and its API show of an accepted exhibitor,
read straight from rows.

A card has the attribute names of Exhibitor that the card macro and the API's JSON read
(name, kana, logo.digest, booths[].code/.zone, categories[].slug/.name…), so both take an
Exhibitor or a Card. Building cards from rows costs about a quarter of loading the same
page as ORM objects (Exhibitor, Company, logo, booths, zones, categories), which was most
of a directory page's time; and a card cannot carry a contact detail or the online meeting
URL by mistake: it has no field for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import Select, func, select

from booking.accounts.models import Company
from booking.exhibitions.models import Booth, Exhibitor, ExhibitorLogo, Zone, exhibitor_categories
from booking.extensions import db
from booking.org.models import Unit

# The page's name and furigana, as Exhibitor.name and Exhibitor.kana give them.
NAME = func.coalesce(func.nullif(Exhibitor.display_name, ""), Company.name)
KANA = func.coalesce(func.nullif(Exhibitor.display_kana, ""), Company.name_kana)


class CardZone(NamedTuple):
    id: int
    code: str
    name: str
    name_en: str = ""  # English mode shows it (`localized`), as for a Zone


class CardBooth(NamedTuple):
    code: str
    zone: CardZone


class CardCategory(NamedTuple):
    slug: str
    name: str
    name_en: str = ""


class CardLogo(NamedTuple):
    digest: str


@dataclass(slots=True)
class Card:
    id: int
    exhibition_id: int
    name: str
    kana: str
    participation: str
    online_meetings: bool
    logo: CardLogo | None
    # Only for the API (`texts=True`); the HTML cards do not show them.
    pr_text: str = ""
    products: str = ""
    website: str = ""
    categories: list[CardCategory] = field(default_factory=list)
    booths: list[CardBooth] = field(default_factory=list)


def card_rows(texts: bool = False) -> Select:
    """A SELECT of the columns a card is built from (add WHERE, ORDER BY, LIMIT)."""
    columns = [Exhibitor.id, Exhibitor.exhibition_id, NAME.label("name"), KANA.label("kana"),
               Exhibitor.participation, Exhibitor.online_meetings, ExhibitorLogo.digest]  # fmt: skip
    if texts:
        columns += [Exhibitor.pr_text, Exhibitor.products, Exhibitor.website]
    return (
        select(*columns)
        .join(Company, Company.id == Exhibitor.company_id)
        .outerjoin(ExhibitorLogo, ExhibitorLogo.exhibitor_id == Exhibitor.id)
    )


def build_cards(rows: Iterable, texts: bool = False) -> list[Card]:
    """Cards from `card_rows(texts)` rows, in their order, with categories and booths (two
    queries, whatever the number of cards)."""
    cards = []
    for row in rows:
        card = Card(row.id, row.exhibition_id, row.name, row.kana or "", row.participation,
                    row.online_meetings, CardLogo(row.digest) if row.digest else None)  # fmt: skip
        if texts:
            card.pr_text, card.products, card.website = row.pr_text, row.products, row.website
        cards.append(card)
    if not cards:
        return cards
    by_id = {c.id: c for c in cards}
    for exhibitor_id, slug, name, name_en in db.session.execute(
        select(exhibitor_categories.c.exhibitor_id, Unit.slug, Unit.name, Unit.name_en)
        .join(Unit, Unit.id == exhibitor_categories.c.unit_id)
        .where(exhibitor_categories.c.exhibitor_id.in_(by_id))
        .order_by(Unit.position, Unit.id)
    ):
        by_id[exhibitor_id].categories.append(CardCategory(slug, name, name_en))
    zones: dict[int, CardZone] = {}
    for exhibitor_id, code, zone_id, zone_code, zone_name, zone_en in db.session.execute(
        select(Booth.exhibitor_id, Booth.code, Zone.id, Zone.code, Zone.name, Zone.name_en)
        .join(Zone, Zone.id == Booth.zone_id)
        .where(Booth.exhibitor_id.in_(by_id))
        .order_by(Booth.code)
    ):
        zone = zones.setdefault(zone_id, CardZone(zone_id, zone_code, zone_name, zone_en))
        by_id[exhibitor_id].booths.append(CardBooth(code, zone))
    return cards
