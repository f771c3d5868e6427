"""Lottery (抽選): a reproducible, auditable draw from a recorded seed."""

from __future__ import annotations

import random
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from booking.accounts.models import User
from booking.errors import Conflict, Invalid
from booking.events import audit, notices
from booking.events.models import Event, Frame, Registration
from booking.events.passes import company_no_shows, person_no_show_counts
from booking.events.registrations import take_seat, window_of
from booking.extensions import db
from booking.timefmt import as_utc

WEIGHTINGS = ("", "weighted")
# The tiers of the stated weighting: first-time companies first, past no-shows last.
FIRST_TIME, OTHERS, NO_SHOW = 0, 1, 2


def run_lottery(
    frame: Frame, now: datetime, by: User, seed: str | None = None, weighting: str = ""
) -> dict:
    """Draw a lottery frame after its deadline with a seed the system draws and records.

    With `weighting="weighted"` the seeded shuffle is then ordered by tier (first-time
    companies, others, companies with a past no-show; `tiers_of`); the tiers are recorded in
    the audit log with the seed, so the replay gives the same order. Winners are confirmed up
    to capacity within per-company limits; the rest are waitlisted in draw order. (`seed` is
    for tests: staff never choose it.)

    :raises Conflict: not a lottery, not yet closed, or already drawn.
    :raises Invalid: an unknown weighting.
    """
    if weighting not in WEIGHTINGS:
        raise Invalid(_l("重み付けを選んでください。"), field="weighting")
    if not frame.lottery:
        raise Conflict(_l("この参加枠は抽選ではありません。"), code="not_lottery")
    if frame.lottery_drawn_at is not None:
        raise Conflict(_l("抽選は実施済みです。"), code="already_drawn")
    _, closes = window_of(frame)
    if now < closes:
        raise Conflict(_l("抽選は申込締切の後に実施できます。"), code="too_early")
    db.session.execute(select(Frame.id).where(Frame.id == frame.id).with_for_update())
    seed = seed or secrets.token_hex(8)
    applicants = _applicants(frame.id)
    tiers = tiers_of(applicants, now) if weighting else {}
    order = weighted(shuffled(applicants, seed), tiers)
    per_company: dict[int, int] = {}
    won = lost = 0
    for rank, reg in enumerate(order, start=1):
        company_ok = not (
            reg.company_id
            and frame.per_company_limit
            and per_company.get(reg.company_id, 0) >= frame.per_company_limit
        )
        reg.sequence += 1
        reg.updated_at = now
        if company_ok and take_seat(frame.id):
            reg.status, reg.confirmed_at = "confirmed", now
            if reg.company_id:
                per_company[reg.company_id] = per_company.get(reg.company_id, 0) + 1
            won += 1
        else:
            reg.status, reg.queue_rank = "waitlisted", rank
            lost += 1
        db.session.flush()
        notices.lottery_result(reg, now)
    frame.lottery_seed, frame.lottery_drawn_at, frame.lottery_drawn_by_id = seed, now, by.id
    frame.lottery_weighting = weighting
    db.session.flush()
    audit.record(
        frame.event, "lottery", by=by, now=now,
        after={"frame": frame.id, "frame_name": frame.name, "seed": seed, "weighting": weighting,
               "applicants": len(order), "won": won, "waitlisted": lost,
               "tiers": {str(k): v for k, v in tiers.items()}},
    )  # fmt: skip
    db.session.refresh(frame)
    return {"seed": seed, "won": won, "waitlisted": lost}


def _applicants(frame_id: int) -> list[Registration]:
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.frame_id == frame_id, Registration.status == "applied")
            .order_by(Registration.id)
        )
    )


def draw_order(frame_id: int, seed: str) -> list[Registration]:
    """The applicants in draw order (no weighting): applications by id, shuffled by the seed."""
    return shuffled(_applicants(frame_id), seed)


def weighted(order: list[Registration], tiers: dict[int, int]) -> list[Registration]:
    """The weighting applied to a shuffled order: by tier, the shuffle kept within each tier."""
    if not tiers:
        return order
    return sorted(order, key=lambda r: tiers.get(r.id, OTHERS))


def tiers_of(applicants: list[Registration], now: datetime) -> dict[int, int]:
    """Each applicant's tier at `now`: FIRST_TIME when their company (or, without one, the
    person) has never held a confirmed seat at an event that has ended; NO_SHOW when it has a
    past no-show (`passes.company_no_shows`, or the person's own); else OTHERS."""
    company_ids = sorted({r.company_id for r in applicants if r.company_id})
    user_ids = sorted({r.user_id for r in applicants if not r.company_id})
    no_shows = company_no_shows(company_ids, now)
    person_no_shows = person_no_show_counts(user_ids, now)
    past = _past_confirmed(Registration.company_id, company_ids, now)
    person_past = _past_confirmed(Registration.user_id, user_ids, now)
    tiers = {}
    for reg in applicants:
        if reg.company_id:
            missed, came = no_shows.get(reg.company_id, 0), reg.company_id in past
        else:
            missed, came = person_no_shows.get(reg.user_id, 0), reg.user_id in person_past
        tiers[reg.id] = NO_SHOW if missed else (OTHERS if came else FIRST_TIME)
    return tiers


def _past_confirmed(column, ids: list[int], now: datetime) -> set[int]:
    """Of `ids` (companies or people), those with a confirmed seat at an event that ended."""
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(column)
            .join(Event, Event.id == Registration.event_id)
            .where(column.in_(ids), Registration.status == "confirmed", Event.ends_at < now,
                   Event.status != "cancelled")
            .distinct()
        )
    )  # fmt: skip


def set_lottery_deadline(frame: Frame, closes_at: datetime, now: datetime, *, by: User) -> None:
    """Change a lottery frame's application deadline before its draw (recorded).

    :raises Conflict: not a lottery frame, or already drawn.
    :raises Invalid: after the event's start.
    """
    if not frame.lottery:
        raise Conflict(_l("この参加枠は抽選ではありません。"), code="not_lottery")
    if frame.lottery_drawn_at is not None:
        raise Conflict(_l("抽選は実施済みのため、締切は変更できません。"), code="already_drawn")
    if closes_at > as_utc(frame.event.starts_at):
        raise Invalid(_l("申込締切はイベントの開始より前にしてください。"), field="closes_at")
    _, before = window_of(frame)
    frame.closes_at = closes_at
    db.session.flush()
    audit.record(
        frame.event, "deadline", by=by, now=now,
        before={"frame_name": frame.name, "closes_at": before.isoformat()},
        after={"frame_name": frame.name, "closes_at": closes_at.isoformat()},
    )  # fmt: skip


def shuffled(applicants: list[Registration], seed: str) -> list[Registration]:
    """The draw itself: a seeded shuffle of applications in id order."""
    order = sorted(applicants, key=lambda r: r.id)
    random.Random(seed).shuffle(order)
    return order


def recorded_tiers(frame: Frame) -> dict[int, int]:
    """The weighting tiers recorded at the draw (empty without a weighting)."""
    if not frame.lottery_weighting:
        return {}
    entry = audit.lottery_entry(frame.id)
    tiers = (entry.after or {}).get("tiers", {}) if entry else {}
    return {int(k): int(v) for k, v in tiers.items()}


def lottery_applicants_at_draw(frame: Frame) -> list[Registration]:
    """Audit: re-run a recorded draw (its seed, and its weighting with the tiers recorded
    then); the order must match the ranks decided then."""
    drawn = frame.lottery_drawn_at
    regs = db.session.scalars(
        select(Registration).where(
            Registration.frame_id == frame.id,
            Registration.created_at <= drawn,
            (Registration.cancelled_at.is_(None)) | (Registration.cancelled_at > drawn),
        )
    )
    return weighted(shuffled(list(regs), frame.lottery_seed or ""), recorded_tiers(frame))
