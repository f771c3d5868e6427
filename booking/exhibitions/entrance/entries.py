"""Door check-in at the fair: one entry per visitor and day, whichever entrance scans first.

Several entrances scan at once, and a visitor may show the pass at two doors within the same
second; the unique constraint (registration, day) decides. The scan inserts its row with
ON CONFLICT DO NOTHING: the one that inserted says "entered", every other says "already
entered", with the time and entrance of the row that won. A scan is a few small queries of
plain rows: the fair's doors and days, the pass with its frame, person and company, the
insert, and either the check-in mark or the winner's row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload, load_only

from booking.accounts.models import Company, User
from booking.errors import NotFound
from booking.events.models import Event, EventSession, Frame, Registration
from booking.events.passes import mark_checked_in
from booking.exhibitions.lookup import fair_days
from booking.exhibitions.models import Entry, Exhibition
from booking.extensions import db
from booking.timefmt import local_zone

ENTERED, ALREADY = "entered", "already"
# Why a pass is turned away; the API returns these codes, the pages these messages.
REFUSALS = {
    "unknown_pass": _l("この参加証は登録されていません。"),
    "other_event": _l("この展示会の参加証ではありません。"),
    "not_confirmed": _l("このお申し込みは確定していません（キャンセル待ち・キャンセル済みなど）。"),
    "online_only": _l("オンライン来場のお申し込みです。会場には入場できません。"),
    "not_fair_day": _l("この日は開催日ではありません。"),
    "unknown_entrance": _l("この展示会にない入口です。"),
}


@dataclass
class EntryResult:
    """What the door shows: `outcome` is entered, already or one of REFUSALS' codes."""

    outcome: str
    day: date
    entrance: str
    # The pass's row (id, reference, pass_token, status, …), not an ORM object.
    registration: Row | None = None
    # What the door shows about the visitor, read before the check-in refreshes the row.
    visitor: dict | None = None
    # The day's entry: the new one, or for "already" the first one (when and where).
    entered_at: datetime | None = None
    entered_by: str = ""

    @property
    def refused(self) -> bool:
        return self.outcome not in (ENTERED, ALREADY)

    @property
    def message(self):
        return REFUSALS.get(self.outcome, "")


def scan_day(exhibition: Exhibition | ScanFair, now: datetime, day: date | None = None) -> date:
    """The local day a scan counts for: the one staff chose, else today in Tokyo."""
    return day or now.astimezone(local_zone()).date()


def enter(exhibition: Exhibition | ScanFair, pass_token: str, entrance: str, now: datetime,
          staff=None, day: date | None = None) -> EntryResult:  # fmt: skip
    """Let a visitor in (or say why not). The caller commits.

    Plain rows, no ORM objects: the pass with what the door shows, the insert, and the
    check-in mark (or, for a second scan, the first entry's time and door)."""
    entrance = (entrance or "").strip()
    day = scan_day(exhibition, now, day)
    result = EntryResult("", day, entrance)
    if entrance not in (exhibition.entrances or []):
        result.outcome = "unknown_entrance"
        return result
    if day not in fair_days(exhibition):
        result.outcome = "not_fair_day"
        return result
    reg = _pass(pass_token)
    if reg is None:
        result.outcome = "unknown_pass"
        return result
    result.registration, result.visitor = reg, _visitor(reg)
    if reg.event_id != exhibition.event_id:
        # Another event's visitor: show nothing about them.
        result.registration = result.visitor = None
        result.outcome = "other_event"
    elif reg.status != "confirmed":
        result.outcome = "not_confirmed"
    elif reg.mode == "online":
        result.outcome = "online_only"
    elif _insert(exhibition, reg, day, entrance, now, staff):
        # The event's own pages (attendee list, no-show record) see the visitor as present.
        if reg.checked_in_at is None:
            mark_checked_in(reg.id, now)
        result.outcome, result.entered_at, result.entered_by = ENTERED, now, entrance
    else:
        result.outcome = ALREADY
        result.entered_at, result.entered_by = db.session.execute(
            select(_ENTRIES.c.scanned_at, _ENTRIES.c.entrance).where(
                _ENTRIES.c.registration_id == reg.id, _ENTRIES.c.day == day
            )
        ).one()
    return result


def _visitor(reg: Row) -> dict:
    return {
        "reference": reg.reference, "name": User.full_name.fget(reg),
        "kana": User.full_kana.fget(reg), "company": reg.company, "frame": reg.frame,
    }  # fmt: skip


class ScanSpan(NamedTuple):
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class ScanEvent:
    starts_at: datetime
    ends_at: datetime
    sessions: tuple[ScanSpan, ...]


@dataclass(frozen=True)
class ScanFair:
    """What a scan reads of an exhibition, with the attribute names of Exhibition that
    `enter` and `fair_days` use (its id, event, entrances)."""

    id: int
    event_id: int
    entrances: tuple[str, ...]
    event: ScanEvent


def exhibition_for_scan(exhibition_id) -> Exhibition:
    """The exhibition with its event and sessions in one query (the desk pages show them).

    :raises NotFound:"""
    exhibition = (
        db.session.scalar(
            select(Exhibition)
            .where(Exhibition.id == exhibition_id)
            .options(
                load_only(Exhibition.event_id, Exhibition.entrances),
                joinedload(Exhibition.event)
                .load_only(Event.starts_at, Event.ends_at)
                .joinedload(Event.sessions)
                .load_only(EventSession.starts_at, EventSession.ends_at),
            )
        )
        if isinstance(exhibition_id, int)
        else None
    )
    if exhibition is None:
        raise NotFound()
    return exhibition


def fair_for_scan(exhibition_id) -> ScanFair:
    """What the entries API needs of the exhibition, its doors and days, in one query of
    plain rows (a row per session).

    :raises NotFound:"""
    rows = (
        db.session.execute(
            select(
                Exhibition.id,
                Exhibition.event_id,
                Exhibition.entrances,
                Event.starts_at,
                Event.ends_at,
                EventSession.starts_at.label("s_starts"),
                EventSession.ends_at.label("s_ends"),
            )
            .join(Event, Event.id == Exhibition.event_id)
            .outerjoin(EventSession, EventSession.event_id == Event.id)
            .where(Exhibition.id == exhibition_id)
        ).all()
        if isinstance(exhibition_id, int)
        else []
    )
    if not rows:
        raise NotFound()
    first = rows[0]
    sessions = tuple(ScanSpan(r.s_starts, r.s_ends) for r in rows if r.s_starts is not None)
    event = ScanEvent(first.starts_at, first.ends_at, sessions)
    return ScanFair(first.id, first.event_id, tuple(first.entrances or ()), event)


# The pass's registration with what the door shows (person, company, frame), as one row.
_PASS = (
    select(
        Registration.id,
        Registration.reference,
        Registration.event_id,
        Registration.status,
        Registration.checked_in_at,
        Registration.pass_token,
        Frame.mode,
        Frame.name.label("frame"),
        User.family_name,
        User.given_name,
        User.family_kana,
        User.given_kana,
        Company.name.label("company"),
    )
    .join(Frame, Frame.id == Registration.frame_id)
    .join(User, User.id == Registration.user_id)
    .outerjoin(Company, Company.id == Registration.company_id)
)
_ENTRIES = Entry.__table__


def _pass(token: str) -> Row | None:
    token = (token or "").strip()
    if not token or len(token) > 64:
        return None
    return db.session.execute(_PASS.where(Registration.pass_token == token)).first()


def _insert(exhibition, reg, day, entrance, now, staff) -> bool:
    """Insert the day's entry unless one exists (also one committed a moment ago elsewhere)."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = dict(
        exhibition_id=exhibition.id, registration_id=reg.id, day=day, entrance=entrance,
        scanned_at=now, scanned_by_id=staff.id if staff is not None else None,
    )  # fmt: skip
    stmt = (
        insert(_ENTRIES)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["registration_id", "day"])
        .returning(_ENTRIES.c.id)
    )
    return db.session.execute(stmt).first() is not None


def day_counts(exhibition: Exhibition, day: date) -> dict[str, int]:
    """Entries of one day per entrance (every entrance listed, zero included)."""
    rows = db.session.execute(
        select(Entry.entrance, func.count())
        .where(Entry.exhibition_id == exhibition.id, Entry.day == day)
        .group_by(Entry.entrance)
    ).all()
    counts = {name: 0 for name in exhibition.entrances or []}
    counts.update(dict(rows))
    return counts
