"""Looking up units; loading the chamber's structure."""

from __future__ import annotations

from sqlalchemy import select

from booking.extensions import db
from booking.org.models import UNIT_KINDS, Unit


def unit_by_key(key: str) -> Unit | None:
    """`hq`, `branch:chiyoda`, `section:ict`, `committee:c05`, `group:yeg`; None if unknown."""
    kind, _, slug = (key or "").partition(":")
    if kind == "hq":
        slug = "hq"
    if kind not in UNIT_KINDS or not slug:
        return None
    return db.session.scalar(select(Unit).where(Unit.kind == kind, Unit.slug == slug))


def _in_order(query):
    """A kind's units as lists show them: by position (the source's order)."""
    return query.order_by(Unit.position, Unit.id)


def units_of_kind(kind: str) -> list[Unit]:
    return list(db.session.scalars(_in_order(select(Unit).where(Unit.kind == kind))))


def units_by_kind() -> dict[str, list[Unit]]:
    """{kind: its units in their order} for every kind of `UNIT_KINDS`, in one query."""
    grouped: dict[str, list[Unit]] = {kind: [] for kind in UNIT_KINDS}
    for unit in db.session.scalars(_in_order(select(Unit))):
        grouped.setdefault(unit.kind, []).append(unit)  # a kind added later: no 500
    return grouped


def _upsert_unit(
    known: dict[tuple[str, str], Unit],
    kind: str,
    slug: str,
    name: str,
    ward: str | None,
    position: int,
    contact: dict | None = None,
    name_en: str | None = None,
) -> None:
    """Create or update one unit by (kind, slug) among `known`, so `demo load` stays idempotent.

    `contact` (`{"phone", "email"}`, from the structure file) sets whom to contact about the
    unit's events; without it a unit keeps the contact it has.
    """
    unit = known.get((kind, slug))
    if unit is None:
        unit = known[kind, slug] = Unit(kind=kind, slug=slug, contact_phone="", contact_email="")
        db.session.add(unit)
    unit.name, unit.ward, unit.position = name, ward, position
    if name_en is not None:
        unit.name_en = name_en[:120]
    if contact:
        unit.contact_phone = str(contact.get("phone") or "")[:32]
        unit.contact_email = str(contact.get("email") or "")[:254]


def load_structure(data: dict) -> dict[str, int]:
    """Load HQ, branches, sections, committees and groups from chamber.json; returns counts.

    Any entry (and an optional top-level `hq`) may carry `contact: {"phone", "email"}` and
    `name_en`, the name English mode shows. The units there are read once, and the new ones
    written together at the end.
    """
    known = {(u.kind, u.slug): u for u in db.session.scalars(select(Unit))}
    hq = data.get("hq") or {}
    _upsert_unit(known, "hq", "hq", "本部", None, 0, hq.get("contact"), hq.get("name_en"))
    for i, b in enumerate(data["branches"]):
        _upsert_unit(
            known, "branch", b["slug"], b["name"], b.get("ward"), i, b.get("contact"),
            b.get("name_en"),
        )  # fmt: skip
    for i, s in enumerate(data["sections"]):
        _upsert_unit(
            known, "section", s["slug"], s["name"], None, i, s.get("contact"), s.get("name_en")
        )
    for i, c in enumerate(data["committees"]):
        # Committees have no slug in the source: their position in the list is stable.
        _upsert_unit(
            known, "committee", f"c{i + 1:02d}", c["name"], None, i, c.get("contact"),
            c.get("name_en"),
        )  # fmt: skip
    for i, g in enumerate(data["groups"]):
        _upsert_unit(
            known, "group", g["slug"], g["name"], None, i, g.get("contact"), g.get("name_en")
        )
    db.session.flush()
    kinds = ("branch", "section", "committee", "group")
    return {kind: sum(1 for k, _ in known if k == kind) for kind in kinds}


def tag_units() -> list[Unit]:
    """The units an event can be tagged with: sections, then groups, in their order."""
    return list(
        db.session.scalars(
            select(Unit)
            .where(Unit.kind.in_(("section", "group")))
            .order_by(Unit.kind.desc(), Unit.position)
        )
    )


def units_in_order() -> list[Unit]:
    """Every unit, headquarters first, then by kind and position."""
    return list(
        db.session.scalars(select(Unit).order_by(Unit.kind != "hq", Unit.kind, Unit.position))
    )
