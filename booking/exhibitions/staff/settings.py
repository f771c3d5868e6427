"""Staff set up an exhibition on an event of kind `exhibition`, and change its rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from booking.errors import Conflict, Invalid
from booking.events.models import Event
from booking.exhibitions.applications.review import accepted_count
from booking.exhibitions.models import Exhibition
from booking.extensions import db
from booking.textnorm import nfkc
from booking.timefmt import as_utc


@dataclass
class ExhibitionSettings:
    applications_open_at: datetime | None = None
    applications_close_at: datetime | None = None
    exhibitor_limit: int | None = None
    meeting_minutes: int = 30
    meeting_buffer_minutes: int = 0
    meeting_notice_minutes: int = 60
    entrances: list[str] = field(default_factory=list)
    map_columns: int = 24


def parse_entrances(text: str) -> list[str]:
    """One door a line; blanks and repeats dropped, order kept."""
    doors: list[str] = []
    for line in (text or "").splitlines():
        door = nfkc(line)[:60]
        if door and door not in doors:
            doors.append(door)
    return doors


def _check(settings: ExhibitionSettings) -> None:
    opens, closes = settings.applications_open_at, settings.applications_close_at
    if opens and closes and as_utc(closes) <= as_utc(opens):
        raise Invalid(_("締切は受付開始より後にしてください。"), field="applications_close_at")
    if settings.meeting_minutes < 5:
        raise Invalid(_("5分以上にしてください。"), field="meeting_minutes")
    if not settings.entrances:
        raise Invalid(_("入口を1つ以上入力してください。"), field="entrances")


def _apply(exhibition: Exhibition, settings: ExhibitionSettings) -> None:
    for name, value in vars(settings).items():
        setattr(exhibition, name, value)


def exhibition_events(include: Event | None = None) -> list[Event]:
    """Events of kind exhibition that have no exhibition set up yet (plus `include`)."""
    taken = select(Exhibition.event_id)
    query = select(Event).where(Event.kind == "exhibition", Event.id.not_in(taken))
    events = list(db.session.scalars(query.order_by(Event.starts_at.desc())))
    return [include, *events] if include is not None else events


def create_exhibition(event: Event, settings: ExhibitionSettings) -> Exhibition:
    """:raises Invalid: not an exhibition event, or bad settings.
    :raises Conflict: the event has its exhibition already."""
    if event.kind != "exhibition":
        raise Invalid(_("種別が「展示会」のイベントを選んでください。"), field="event")
    _check(settings)
    exhibition = Exhibition(event_id=event.id)
    _apply(exhibition, settings)
    try:
        with db.session.begin_nested():
            db.session.add(exhibition)
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("このイベントの展示会はすでに登録されています。"), field="event") from None
    return exhibition


def update_exhibition(exhibition: Exhibition, settings: ExhibitionSettings) -> Exhibition:
    """:raises Invalid: bad settings, or a limit below the exhibitors already accepted."""
    _check(settings)
    if settings.exhibitor_limit is not None:
        accepted = accepted_count(exhibition.id)
        if settings.exhibitor_limit < accepted:
            raise Invalid(
                _("承認済みの出展者（%(n)s社）より少なくはできません。", n=accepted),
                field="exhibitor_limit",
            )
    _apply(exhibition, settings)
    db.session.flush()
    return exhibition
