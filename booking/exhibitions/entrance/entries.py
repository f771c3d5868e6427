"""Door check-in at the fair: one entry per visitor and day, whichever entrance scans first.

Several entrances scan at once, and a visitor may show the pass at two doors within the same
second; the unique constraint (registration, day) decides. The scan inserts its row with
ON CONFLICT DO NOTHING: the one that inserted says "entered", every other says "already
entered", with the time and entrance of the row that won. A scan is a few small queries:
the pass with its frame, the insert, and either the check-in mark or the winner's row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload, load_only

from booking.errors import NotFound
from booking.events.models import Event, EventSession, Registration
from booking.events.passes import check_in
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
    registration: Registration | None = None
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


def scan_day(exhibition: Exhibition, now: datetime, day: date | None = None) -> date:
    """The local day a scan counts for: the one staff chose, else today in Tokyo."""
    return day or now.astimezone(local_zone()).date()


def enter(exhibition: Exhibition, pass_token: str, entrance: str, now: datetime,
          staff=None, day: date | None = None) -> EntryResult:  # fmt: skip
    """Let a visitor in (or say why not). The caller commits."""
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
    elif reg.frame.mode == "online":
        result.outcome = "online_only"
    elif _insert(exhibition, reg, day, entrance, now, staff):
        # The event's own pages (attendee list, no-show record) see the visitor as present.
        if reg.checked_in_at is None:
            check_in(reg, now)
        result.outcome, result.entered_at, result.entered_by = ENTERED, now, entrance
    else:
        result.outcome = ALREADY
        result.entered_at, result.entered_by = db.session.execute(
            select(Entry.scanned_at, Entry.entrance).where(
                Entry.registration_id == reg.id, Entry.day == day
            )
        ).one()
    return result


def _visitor(reg: Registration) -> dict:
    return {
        "reference": reg.reference, "name": reg.user.full_name, "kana": reg.user.full_kana,
        "company": reg.company.name if reg.company else None, "frame": reg.frame.name,
    }  # fmt: skip


def exhibition_for_scan(exhibition_id) -> Exhibition:
    """The exhibition with its event and sessions in one query (fair_days needs them).

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


def _pass(token: str) -> Registration | None:
    """The pass's registration with what the door shows (person, company, frame) at once."""
    token = (token or "").strip()
    if not token or len(token) > 64:
        return None
    return db.session.scalar(
        select(Registration)
        .where(Registration.pass_token == token)
        .options(
            joinedload(Registration.user),
            joinedload(Registration.company),
            joinedload(Registration.frame),
        )
    )


def _insert(exhibition, reg, day, entrance, now, staff) -> bool:
    """Insert the day's entry unless one exists (also one committed a moment ago elsewhere)."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = dict(
        exhibition_id=exhibition.id, registration_id=reg.id, day=day, entrance=entrance,
        scanned_at=now, scanned_by_id=staff.id if staff is not None else None,
    )  # fmt: skip
    stmt = (
        insert(Entry)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["registration_id", "day"])
        .returning(Entry.id)
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
