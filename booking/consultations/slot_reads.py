"""What the free-slot engine reads: a fixed set of Core queries, whatever the number of advisors.

The statements are built once, with bound parameters (ids as an expanding IN), so a call pays
neither for building SQL constructs nor for the ORM's row loading: rows are plain tuples.
Booking times come back as whole minutes since the epoch, computed by the database
(`EpochMinutes`): a thousand bookings cost no datetime parsing or arithmetic in Python.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import BigInteger, bindparam, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from booking.consultations.models import AvailabilityException as Exc
from booking.consultations.models import (
    Channel,
    Consultation,
    ConsultationDay,
    WeeklyAvailability,
    advisor_branches,
    advisor_channels,
    consultation_day_advisors,
)
from booking.extensions import db
from booking.org.models import Unit


class EpochMinutes(FunctionElement):
    """Whole minutes since 1970-01-01 UTC of a `UTCDateTime` column, as an integer."""

    type = BigInteger()
    inherit_cache = True


@compiles(EpochMinutes)
def _epoch_minutes_sqlite(element, compiler, **kw):  # UTCDateTime stores UTC digits there
    column = compiler.process(element.clauses, **kw)
    return f"(CAST(strftime('%s', {column}) AS INTEGER) / 60)"


@compiles(EpochMinutes, "postgresql")
def _epoch_minutes_postgresql(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return f"(CAST(floor(EXTRACT(EPOCH FROM {column})) AS BIGINT) / 60)"


class Rule(NamedTuple):
    """An open interval rule in local clock time (weekly rule or `extra` exception).

    A tuple: schedules are compared and hashed as keys (advisors often share office hours)."""

    starts: time
    ends: time
    branch_id: int | None
    channel_id: int | None


class Reads(NamedTuple):
    """Everything one call needs, by advisor id."""

    homes: dict[int, int]
    branch_slugs: dict[int, str]
    offered: dict[int, dict[int, str]]
    weekly: dict[int, list]
    exceptions: dict[int, list]
    days: dict[int, list]
    busy: dict[int, list[tuple[int, int]]]


@lru_cache(maxsize=1)
def _statements() -> dict:
    ids = bindparam("ids", expanding=True)
    ab, ac, cda = advisor_branches.c, advisor_channels.c, consultation_day_advisors.c
    units, channels = Unit.__table__, Channel.__table__
    rule_units = units.alias("rule_units")
    unit, channel = units.c, channels.c
    w, e = WeeklyAvailability.__table__.c, Exc.__table__.c
    cdays, c = ConsultationDay.__table__, Consultation.__table__.c
    cday = cdays.c
    first, last = bindparam("first_day", type_=w.valid_from.type), bindparam("last_day")
    return {
        "homes": select(ab.advisor_id, unit.id, unit.slug)
        .join(units, unit.id == ab.unit_id)
        .where(ab.advisor_id.in_(ids))
        .order_by(unit.position),
        "channels": select(ac.advisor_id, channel.id, channel.slug, channel.active)
        .join(channels, channel.id == ac.channel_id)
        .where(ac.advisor_id.in_(ids))
        .order_by(channel.position),
        # Hours at a branch carry its slug: an advisor's slots never borrow it from another
        # advisor's rows (each advisor's slots are computed and kept on their own).
        "weekly": select(
            w.advisor_id,
            w.weekday,
            w.starts,
            w.ends,
            w.branch_id,
            w.channel_id,
            w.valid_from,
            w.valid_until,
            rule_units.c.slug,
        )
        .outerjoin(rule_units, rule_units.c.id == w.branch_id)
        .where(
            w.advisor_id.in_(ids),
            or_(w.valid_from.is_(None), w.valid_from <= last),
            or_(w.valid_until.is_(None), w.valid_until >= first),
        ),
        "exceptions": select(
            e.advisor_id,
            e.day,
            e.kind,
            e.starts,
            e.ends,
            e.branch_id,
            e.channel_id,
            rule_units.c.slug,
        )
        .outerjoin(rule_units, rule_units.c.id == e.branch_id)
        .where(e.advisor_id.in_(ids), e.day.between(first, last)),
        "days": select(
            cda.advisor_id, cday.id, cday.day, cday.starts, cday.ends, cday.branch_id, unit.slug
        )
        .join(cdays, cday.id == cda.day_id)
        .join(units, unit.id == cday.branch_id)
        .where(
            cda.advisor_id.in_(ids),
            cday.published.is_(True),
            cday.day.between(first, last),
            or_(cday.theme_id.is_(None), cday.theme_id == bindparam("theme_id")),
        ),
        "busy": select(
            c.advisor_id,
            EpochMinutes(c.starts_at) - bindparam("buffer"),
            EpochMinutes(c.ends_at) + bindparam("buffer"),
        ).where(
            c.advisor_id.in_(ids),
            c.status == "booked",
            c.starts_at < bindparam("until", type_=c.starts_at.type),
            c.ends_at > bindparam("since", type_=c.ends_at.type),
            c.id != bindparam("exclude"),
        ),
    }


def read(ids: list[int], theme_id: int, first_day: date, last_day: date, *, active_only: bool,
         since: datetime | None, until: datetime, buffer: int, exclude: int | None) -> Reads:  # fmt: skip
    """The schedules of `ids` for the local days [first_day, last_day], and (unless `since`
    is None) their bookings overlapping [since, until), widened by `buffer` minutes."""
    q = _statements()
    run = db.session.connection().execute
    homes: dict[int, int] = {}
    branch_slugs: dict[int, str] = {}
    for aid, unit_id, slug in run(q["homes"], {"ids": ids}):
        homes.setdefault(aid, unit_id)
        branch_slugs[unit_id] = slug
    offered: dict[int, dict[int, str]] = defaultdict(dict)
    for aid, channel_id, slug, active in run(q["channels"], {"ids": ids}):
        if active or not active_only:
            offered[aid][channel_id] = slug
    days = {"ids": ids, "first_day": first_day, "last_day": last_day}
    weekly: dict[int, list] = defaultdict(list)
    for aid, weekday, starts, ends, b_id, c_id, valid_from, valid_until, b_slug in run(
        q["weekly"], days
    ):
        weekly[aid].append((weekday, valid_from, valid_until, Rule(starts, ends, b_id, c_id)))
        if b_slug:
            branch_slugs[b_id] = b_slug
    exceptions: dict[int, list] = defaultdict(list)
    for aid, day, kind, starts, ends, b_id, c_id, b_slug in run(q["exceptions"], days):
        exceptions[aid].append((day, kind, Rule(starts, ends, b_id, c_id) if starts else None))
        if b_slug:
            branch_slugs[b_id] = b_slug
    by_day: dict[int, list] = defaultdict(list)
    for aid, day_id, day, starts, ends, b_id, b_slug in run(
        q["days"], dict(days, theme_id=theme_id)
    ):
        by_day[aid].append((day, day_id, starts, ends, b_id))
        branch_slugs[b_id] = b_slug
    busy: dict[int, list[tuple[int, int]]] = defaultdict(list)
    if since is not None:
        params = {"ids": ids, "since": since, "until": until, "exclude": exclude or 0,
                  "buffer": buffer}  # fmt: skip
        for aid, b_start, b_end in run(q["busy"], params):
            busy[aid].append((b_start, b_end))
    return Reads(homes, branch_slugs, offered, weekly, exceptions, by_day, busy)
