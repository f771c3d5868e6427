"""The figures of one exhibition for staff, each breakdown in a single grouped query."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from booking.events.models import Event, Frame, Registration
from booking.exhibitions.applications.review import status_counts
from booking.exhibitions.models import Booth, Entry, Exhibition, Exhibitor, Meeting
from booking.extensions import db


@dataclass
class FrameCount:
    name: str
    mode: str
    capacity: int
    confirmed: int
    waitlisted: int


@dataclass
class Figures:
    applications: dict[str, int]
    booths_total: int
    booths_assigned: int
    meetings_booked: int
    frames: list[FrameCount]
    entrances: list[str]
    # {day: {entrance: n}}, days in order; entrances no longer listed still count.
    entries: dict[date, dict[str, int]] = field(default_factory=dict)

    @property
    def visitors(self) -> int:
        return sum(f.confirmed for f in self.frames)

    def entries_on(self, day: date) -> int:
        return sum(self.entries.get(day, {}).values())

    def entries_at(self, entrance: str) -> int:
        return sum(by_door.get(entrance, 0) for by_door in self.entries.values())

    @property
    def entries_total(self) -> int:
        return sum(self.entries_on(d) for d in self.entries)


def _count(model, *where):
    return select(func.count()).select_from(model).where(*where).scalar_subquery()


def exhibition_figures(exhibition: Exhibition) -> Figures:
    """Applications by status, booths, visitors per frame, entries per day and entrance,
    meetings booked: four queries whatever the size of the fair."""
    ex_id = exhibition.id
    booths_total, booths_assigned, meetings_booked = db.session.execute(
        select(
            _count(Booth, Booth.exhibition_id == ex_id),
            _count(Booth, Booth.exhibition_id == ex_id, Booth.exhibitor_id.is_not(None)),
            _count(Meeting, Meeting.exhibition_id == ex_id, Meeting.status == "booked"),
        )
    ).one()
    frame_rows = db.session.execute(
        select(
            Frame.name, Frame.mode, Frame.capacity,
            func.count(Registration.id).filter(Registration.status == "confirmed"),
            func.count(Registration.id).filter(Registration.status == "waitlisted"),
        )
        .outerjoin(Registration, Registration.frame_id == Frame.id)
        .where(Frame.event_id == exhibition.event_id)
        .group_by(Frame.id, Frame.name, Frame.mode, Frame.capacity, Frame.position)
        .order_by(Frame.position, Frame.id)
    ).all()  # fmt: skip
    entries: dict[date, dict[str, int]] = {}
    for day, entrance, n in db.session.execute(
        select(Entry.day, Entry.entrance, func.count())
        .where(Entry.exhibition_id == ex_id)
        .group_by(Entry.day, Entry.entrance)
        .order_by(Entry.day)
    ):
        entries.setdefault(day, {})[entrance] = n
    doors = list(exhibition.entrances or [])
    doors += sorted({e for by_door in entries.values() for e in by_door} - set(doors))
    return Figures(
        applications=status_counts(ex_id),
        booths_total=booths_total, booths_assigned=booths_assigned,
        meetings_booked=meetings_booked,
        frames=[FrameCount(*row) for row in frame_rows],
        entrances=doors, entries=entries,
    )  # fmt: skip


@dataclass
class ExhibitionLine:
    exhibition: Exhibition
    applied: int
    accepted: int


def exhibitions_overview(
    now: datetime, unit_id: int | None = None, upcoming_only: bool = False
) -> list[ExhibitionLine]:
    """Exhibitions (newest first; upcoming ones soonest first) with the applications still to
    review and those accepted; `unit_id` keeps those of one organising unit."""
    query = (
        select(
            Exhibition,
            func.count(Exhibitor.id).filter(Exhibitor.status == "applied"),
            func.count(Exhibitor.id).filter(Exhibitor.status == "accepted"),
        )
        .join(Event, Event.id == Exhibition.event_id)
        .outerjoin(Exhibitor, Exhibitor.exhibition_id == Exhibition.id)
        .group_by(Exhibition.id, Event.starts_at)
        .order_by(Event.starts_at.desc())
    )
    if unit_id is not None:
        query = query.where(Event.unit_id == unit_id)
    if upcoming_only:
        query = query.where(Event.ends_at > now).order_by(None).order_by(Event.starts_at)
    return [ExhibitionLine(*row) for row in db.session.execute(query)]
