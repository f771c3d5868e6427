"""Door check-in at the fair: one entry per visitor and day, whichever entrance scans first.

Several entrances scan at once, and a visitor may show the pass at two doors within the same
second; the unique constraint (registration, day) decides. The scan inserts its row with
ON CONFLICT DO NOTHING: the one that inserted says "entered", every other says "already
entered", with the time and entrance of the row that won. A scan over the API is two
statements of plain rows besides the token: the fair's doors and days with the pass (its
frame, person and company), then on PostgreSQL the insert, the check-in mark of the row it
inserted and the winner's row in one statement (on SQLite, which has no INSERT in WITH, two
or three).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, exists, func, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload, load_only

from booking.accounts.models import Company, User
from booking.errors import NotFound
from booking.events.models import Event, EventSession, Frame, Registration
from booking.events.passes import check_in_update, forget_check_in, mark_checked_in
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
    registration: Pass | None = None
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

    Plain rows, no ORM objects: the pass with what the door shows, then the entry (with the
    check-in mark, or for a second scan the first entry's time and door)."""
    return _admit(exhibition, lambda: _pass(pass_token), entrance, now, staff, day)


def scan(exhibition_id, pass_token: str, entrance: str, now: datetime, staff=None,
         day: date | None = None) -> EntryResult:  # fmt: skip
    """`enter` for the entries API, which has only the exhibition's id: the fair's doors and
    days are read in the same statement as the pass. The caller commits.

    :raises NotFound: no such exhibition."""
    fair, reg = _fair_and_pass(exhibition_id, pass_token)
    return _admit(fair, lambda: reg, entrance, now, staff, day)


def _admit(exhibition, read_pass, entrance, now, staff, day) -> EntryResult:
    """The door's rules in their order: the entrance, the day, then the pass."""
    entrance = (entrance or "").strip()
    day = scan_day(exhibition, now, day)
    result = EntryResult("", day, entrance)
    if entrance not in (exhibition.entrances or []):
        result.outcome = "unknown_entrance"
        return result
    if day not in fair_days(exhibition):
        result.outcome = "not_fair_day"
        return result
    reg = read_pass()
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
    else:
        entered, result.entered_at, result.entered_by = _enter_once(
            exhibition, reg, day, entrance, now, staff
        )
        result.outcome = ENTERED if entered else ALREADY
    return result


def _visitor(reg: Pass) -> dict:
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


class Pass(NamedTuple):
    """The pass's registration with what the door shows (person, company, frame)."""

    id: int
    reference: str
    event_id: int
    status: str
    checked_in_at: datetime | None
    pass_token: str
    mode: str
    frame: str
    family_name: str
    given_name: str
    family_kana: str
    given_kana: str
    company: str | None


_R, _F, _U, _C = (m.__table__ for m in (Registration, Frame, User, Company))
_ENTRIES = Entry.__table__
# Core statements on the tables, built once: a scan runs them through the session's
# connection, without the ORM's per-statement work.
_PASS = (
    select(
        _R.c.id,
        _R.c.reference,
        _R.c.event_id,
        _R.c.status,
        _R.c.checked_in_at,
        _R.c.pass_token,
        _F.c.mode,
        _F.c.name.label("frame"),
        _U.c.family_name,
        _U.c.given_name,
        _U.c.family_kana,
        _U.c.given_kana,
        _C.c.name.label("company"),
    )
    .join(_F, _F.c.id == _R.c.frame_id)
    .join(_U, _U.c.id == _R.c.user_id)
    .outerjoin(_C, _C.c.id == _R.c.company_id)
    .where(_R.c.pass_token == bindparam("token"))
)
_X, _E, _S = Exhibition.__table__, Event.__table__, EventSession.__table__
_HELD = _PASS.subquery("held")
# A row per session of the fair, each with the pass's columns (NULL when no such pass).
_FAIR_AND_PASS = (
    select(
        _X.c.id.label("fair_id"),
        _X.c.event_id.label("fair_event_id"),
        _X.c.entrances,
        _E.c.starts_at,
        _E.c.ends_at,
        _S.c.starts_at.label("s_starts"),
        _S.c.ends_at.label("s_ends"),
        *_HELD.c,
    )
    .select_from(_X)
    .join(_E, _E.c.id == _X.c.event_id)
    .outerjoin(_S, _S.c.event_id == _E.c.id)
    .outerjoin(_HELD, true())
    .where(_X.c.id == bindparam("exhibition_id"))
)
_FAIR_COLUMNS = 7


def _token(token) -> str | None:
    token = (token or "").strip()
    return token if token and len(token) <= 64 else None


def _pass(token: str) -> Pass | None:
    token = _token(token)
    if token is None:
        return None
    row = db.session.connection().execute(_PASS, {"token": token}).first()
    return Pass(*row) if row is not None else None


def _fair_and_pass(exhibition_id, token: str) -> tuple[ScanFair, Pass | None]:
    """The fair's doors and days and the pass, in one statement.

    :raises NotFound:"""
    rows = (
        db.session.connection()
        .execute(_FAIR_AND_PASS, {"exhibition_id": exhibition_id, "token": _token(token)})
        .all()
        if isinstance(exhibition_id, int)
        else []
    )
    if not rows:
        raise NotFound()
    first = rows[0]
    sessions = tuple(ScanSpan(r.s_starts, r.s_ends) for r in rows if r.s_starts is not None)
    event = ScanEvent(first.starts_at, first.ends_at, sessions)
    fair = ScanFair(first.fair_id, first.fair_event_id, tuple(first.entrances or ()), event)
    held = first[_FAIR_COLUMNS:]
    return fair, (Pass(*held) if held[0] is not None else None)


def _enter_once(exhibition, reg, day, entrance, now, staff) -> tuple[bool, datetime, str]:
    """Insert the day's entry unless one exists (also one committed a moment ago elsewhere),
    and mark the registration checked in when this scan inserted it; returns (inserted, the
    day's entry's time, its entrance)."""
    values = dict(
        exhibition_id=exhibition.id, registration_id=reg.id, day=day, entrance=entrance,
        scanned_at=now, scanned_by_id=staff.id if staff is not None else None,
    )  # fmt: skip
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        row = conn.execute(_ENTRY_AND_MARK, values).one()
        forget_check_in(reg.id)
        if row.inserted:
            return True, now, entrance
        if row.scanned_at is not None:
            return False, row.scanned_at, row.entrance
    elif conn.execute(_SQLITE_INSERT, values).first() is not None:
        # The event's own pages (attendee list, no-show record) see the visitor as present.
        if reg.checked_in_at is None:
            mark_checked_in(reg.id, now)
        return True, now, entrance
    # The winner committed after this statement's snapshot began: read it now.
    return False, *conn.execute(_FIRST_ENTRY, values).one()


def _insert(insert):
    """The entry's INSERT … ON CONFLICT DO NOTHING RETURNING (`insert` of the dialect)."""
    return (
        insert(_ENTRIES)
        .values({c: bindparam(c, type_=_ENTRIES.c[c].type) for c in _ENTRY_VALUES})
        .on_conflict_do_nothing(index_elements=["registration_id", "day"])
        .returning(_ENTRIES.c.registration_id)
    )


_ENTRY_VALUES = ("exhibition_id", "registration_id", "day", "entrance", "scanned_at",
                 "scanned_by_id")  # fmt: skip
_FIRST_ENTRY = select(_ENTRIES.c.scanned_at, _ENTRIES.c.entrance).where(
    _ENTRIES.c.registration_id == bindparam("registration_id"),
    _ENTRIES.c.day == bindparam("day"),
)


def _entry_and_mark():
    """One PostgreSQL statement: the entry's insert, the check-in mark (the rule of
    `check_in_update`) for the row it inserted, and the day's entry as it stood before (which
    answers a second scan)."""
    inserted = _insert(pg_insert).cte("inserted")
    marked = check_in_update(
        select(inserted.c.registration_id).scalar_subquery(),
        bindparam("scanned_at", type_=_ENTRIES.c.scanned_at.type),
    )
    first = _FIRST_ENTRY.subquery("first")
    return select(
        exists(select(inserted.c.registration_id)).label("inserted"),
        select(first.c.scanned_at).scalar_subquery().label("scanned_at"),
        select(first.c.entrance).scalar_subquery().label("entrance"),
    ).add_cte(marked.cte("marked"))


_ENTRY_AND_MARK = _entry_and_mark()
_SQLITE_INSERT = _insert(sqlite_insert)  # SQLite has no INSERT in WITH


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
