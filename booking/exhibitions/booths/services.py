"""Zones and booths on the hall grid, and who stands in which booth.

A booth holds at most one exhibitor: assignment is one conditional UPDATE (`… WHERE
exhibitor_id IS NULL`), so of two staff assigning one booth at once exactly one wins. A
company holds at most `booth_limit` booths: its exhibitor row is locked while its booths are
counted. Editing and deleting touch only booths nobody holds, in the same conditional way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from booking.errors import Conflict, Invalid, NotFound
from booking.exhibitions.applications.services import lock_exhibitor
from booking.exhibitions.models import BOOTH_SIZES, Booth, Exhibition, Exhibitor, Zone
from booking.exhibitions.policy import booth_limit_reached
from booking.extensions import db
from booking.textnorm import nfkc

MAX_BULK = 200


@dataclass
class Placement:
    """Where booths go on the grid: the first at (x, y), each w × h cells."""

    x: int = 0
    y: int = 0
    w: int = 2
    h: int = 2


def zones_of(exhibition: Exhibition) -> list[Zone]:
    return list(
        db.session.scalars(
            select(Zone).where(Zone.exhibition_id == exhibition.id).order_by(Zone.position, Zone.id)
        )
    )


def create_zone(exhibition: Exhibition, code: str, name: str) -> Zone:
    """:raises Invalid: no code or name. :raises Conflict: the code is taken."""
    code, name = nfkc(code).upper(), nfkc(name)
    if not code:
        raise Invalid(_("入力してください。"), field="code")
    if not name:
        raise Invalid(_("入力してください。"), field="name")
    position = db.session.scalar(
        select(func.coalesce(func.max(Zone.position) + 1, 0)).where(
            Zone.exhibition_id == exhibition.id
        )
    )
    zone = Zone(exhibition_id=exhibition.id, code=code, name=name, position=position)
    try:
        with db.session.begin_nested():
            db.session.add(zone)
            db.session.flush()
    except IntegrityError:
        raise Conflict(
            _("ゾーン記号「%(code)s」はすでに使われています。", code=code), field="code"
        ) from None
    return zone


def _check_placement(exhibition: Exhibition, place: Placement) -> None:
    if place.w < 1 or place.h < 1:
        raise Invalid(_("幅と高さは1以上にしてください。"), field="w")
    if place.x < 0 or place.y < 0:
        raise Invalid(_("位置は0以上にしてください。"), field="x")
    if place.x + place.w > exhibition.map_columns:
        raise Invalid(
            _("配置図の幅（%(n)sマス）からはみ出します。", n=exhibition.map_columns), field="x"
        )


def create_booths(
    exhibition: Exhibition, zone_id: int, prefix: str, count: int, first: int,
    size: str, place: Placement,
) -> list[Booth]:  # fmt: skip
    """`count` booths coded prefix+number from `first` (A-01, A-02 …), laid left to right
    from (x, y) and wrapping to the next row at the map's edge.

    :raises Invalid: bad count, size, zone or placement. :raises Conflict: a code is taken.
    """
    zone = db.session.get(Zone, zone_id) if isinstance(zone_id, int) else None
    if zone is None or zone.exhibition_id != exhibition.id:
        raise Invalid(_("ゾーンを選んでください。"), field="zone")
    if not 1 <= count <= MAX_BULK:
        raise Invalid(_("1〜%(n)sの数を入力してください。", n=MAX_BULK), field="count")
    if size not in BOOTH_SIZES:
        raise Invalid(_("小間の大きさを選んでください。"), field="size")
    _check_placement(exhibition, place)
    prefix = nfkc(prefix)
    codes = [f"{prefix}{n:02d}" for n in range(first, first + count)]
    if len(codes[-1]) > Booth.code.type.length:
        raise Invalid(
            _("小間番号は%(n)s文字までです。頭文字か最初の番号を短くしてください。",
              n=Booth.code.type.length),
            field="first",
        )  # fmt: skip
    taken = set(
        db.session.scalars(
            select(Booth.code).where(Booth.exhibition_id == exhibition.id, Booth.code.in_(codes))
        )
    )
    if taken:
        raise Conflict(
            _("小間番号 %(codes)s はすでにあります。", codes="、".join(sorted(taken))),
            field="prefix",
        )
    booths, x, y = [], place.x, place.y
    for code in codes:
        if x + place.w > exhibition.map_columns:  # on to the next row of the grid
            x, y = place.x, y + place.h
        booths.append(Booth(exhibition_id=exhibition.id, zone_id=zone.id, code=code, size=size,
                            x=x, y=y, w=place.w, h=place.h))  # fmt: skip
        x += place.w
    try:
        with db.session.begin_nested():
            db.session.add_all(booths)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("同じ小間番号がすでにあります。"), field="prefix") from None
    return booths


def get_booth(exhibition: Exhibition, booth_id) -> Booth:
    booth = db.session.get(Booth, booth_id) if isinstance(booth_id, int) else None
    if booth is None or booth.exhibition_id != exhibition.id:
        raise NotFound()
    return booth


def _assigned_refusal(booth: Booth) -> Conflict:
    return Conflict(
        _("小間 %(code)s は出展者に割り当て済みのため変更できません。先に割り当てを解除してください。",
          code=booth.code),
        code="booth_assigned",
    )  # fmt: skip


def update_booth(
    exhibition: Exhibition, booth: Booth, zone_id: int, code: str, size: str, place: Placement
) -> Booth:
    """Change a booth nobody holds.

    :raises Conflict: it is assigned, or the code is taken. :raises Invalid: bad values.
    """
    zone = db.session.get(Zone, zone_id) if isinstance(zone_id, int) else None
    if zone is None or zone.exhibition_id != exhibition.id:
        raise Invalid(_("ゾーンを選んでください。"), field="zone")
    code = nfkc(code)
    if not code:
        raise Invalid(_("入力してください。"), field="code")
    if size not in BOOTH_SIZES:
        raise Invalid(_("小間の大きさを選んでください。"), field="size")
    _check_placement(exhibition, place)
    try:
        with db.session.begin_nested():
            changed = db.session.execute(
                update(Booth)
                .where(Booth.id == booth.id, Booth.exhibitor_id.is_(None))
                .values(zone_id=zone.id, code=code, size=size,
                        x=place.x, y=place.y, w=place.w, h=place.h)
                .execution_options(synchronize_session=False, directory_of=[exhibition.id])
            ).rowcount  # fmt: skip
    except IntegrityError:
        raise Conflict(
            _("小間番号 %(codes)s はすでにあります。", codes=code), field="code"
        ) from None
    if not changed:
        raise _assigned_refusal(booth)
    db.session.refresh(booth)
    return booth


def delete_booth(booth: Booth) -> None:
    """:raises Conflict: an exhibitor holds it."""
    deleted = db.session.execute(
        delete(Booth)
        .where(Booth.id == booth.id, Booth.exhibitor_id.is_(None))
        .execution_options(synchronize_session=False, directory_of=[booth.exhibition_id])
    ).rowcount
    if not deleted:
        raise _assigned_refusal(booth)
    db.session.expunge(booth)


def assign_booth(
    exhibition: Exhibition, booth_id: int, exhibitor_id: int, staff, now: datetime
) -> Booth:
    """Give a free booth to an accepted exhibitor of this exhibition.

    :raises Invalid: not an accepted exhibitor of this exhibition.
    :raises Conflict: the booth is held already (`booth_taken`, naming who holds it), or the
        company has all the booths it may (`booth_limit`).
    """
    booth = get_booth(exhibition, booth_id)
    exhibitor = lock_exhibitor(exhibitor_id)  # its booth count cannot change until commit
    if exhibitor.exhibition_id != exhibition.id or exhibitor.status != "accepted":
        raise Invalid(_("承認済みの出展者を選んでください。"), field="exhibitor")
    held = db.session.scalar(
        select(func.count()).select_from(Booth).where(Booth.exhibitor_id == exhibitor.id)
    )
    if booth_limit_reached(exhibitor, held):
        raise Conflict(
            _("%(name)s にはすでに%(n)s小間を割り当てています（上限%(limit)s小間）。",
              name=exhibitor.name, n=held, limit=exhibitor.booth_limit),
            code="booth_limit",
        )  # fmt: skip
    won = db.session.execute(
        update(Booth)
        .where(Booth.id == booth.id, Booth.exhibitor_id.is_(None))
        .values(exhibitor_id=exhibitor.id, assigned_at=now, assigned_by_id=staff.id)
        .execution_options(synchronize_session=False, directory_of=[exhibition.id])
    ).rowcount
    if not won:
        raise taken_refusal(booth)
    db.session.refresh(booth)
    return booth


def taken_refusal(booth: Booth) -> Conflict:
    """The loser's message: who holds the booth now (read fresh, it was just taken)."""
    holder_id = db.session.scalar(select(Booth.exhibitor_id).where(Booth.id == booth.id))
    holder = db.session.get(Exhibitor, holder_id) if holder_id else None
    name = holder.name if holder else _("別の出展者")
    return Conflict(
        _("小間 %(code)s はすでに %(name)s に割り当てられています。", code=booth.code, name=name),
        code="booth_taken",
    )


def unassign_booth(exhibition: Exhibition, booth_id: int) -> Booth:
    """Free a booth. :raises Conflict: nobody holds it."""
    booth = get_booth(exhibition, booth_id)
    freed = db.session.execute(
        update(Booth)
        .where(Booth.id == booth.id, Booth.exhibitor_id.is_not(None))
        .values(exhibitor_id=None, assigned_at=None, assigned_by_id=None)
        .execution_options(synchronize_session=False, directory_of=[exhibition.id])
    ).rowcount
    if not freed:
        raise Conflict(_("小間 %(code)s は割り当てられていません。", code=booth.code))
    db.session.refresh(booth)
    return booth


def set_booth_limit(exhibitor: Exhibitor, limit: int) -> Exhibitor:
    """Staff let a company hold more (or fewer) booths. :raises Invalid: out of 0–10."""
    if not 0 <= limit <= 10:
        raise Invalid(_("0〜10の数を入力してください。"), field="booth_limit")
    exhibitor = lock_exhibitor(exhibitor.id)
    exhibitor.booth_limit = limit
    db.session.flush()
    return exhibitor


def booths_of(exhibition: Exhibition) -> list[Booth]:
    """Every booth with its zone and exhibitor (company loaded), in zone and code order."""
    return list(
        db.session.scalars(
            select(Booth)
            .join(Zone, Zone.id == Booth.zone_id)
            .where(Booth.exhibition_id == exhibition.id)
            .options(
                selectinload(Booth.zone),
                selectinload(Booth.exhibitor).selectinload(Exhibitor.company),
            )
            .order_by(Zone.position, Booth.code)
        )
    )


def accepted_exhibitors(exhibition: Exhibition) -> list[Exhibitor]:
    """Accepted exhibitors with their booths, for the assignment form."""
    return list(
        db.session.scalars(
            select(Exhibitor)
            .where(Exhibitor.exhibition_id == exhibition.id, Exhibitor.status == "accepted")
            .options(selectinload(Exhibitor.company), selectinload(Exhibitor.booths))
            .order_by(Exhibitor.id)
        )
    )
