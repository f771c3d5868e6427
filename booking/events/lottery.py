"""Lottery (抽選): a reproducible, auditable draw from a recorded seed."""

from __future__ import annotations

import random
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from booking.accounts.models import User
from booking.errors import Conflict
from booking.events import notices
from booking.events.models import Frame, Registration
from booking.events.registrations import take_seat, window_of
from booking.extensions import db


def run_lottery(frame: Frame, now: datetime, by: User, seed: str | None = None) -> dict:
    """Draw a lottery frame after its deadline with a recorded seed (reproducible).

    Winners are confirmed up to capacity within per-company limits; the rest are waitlisted
    in draw order. :raises Conflict: not a lottery, not yet closed, or already drawn.
    """
    if not frame.lottery:
        raise Conflict(_l("この参加枠は抽選ではありません。"), code="not_lottery")
    if frame.lottery_drawn_at is not None:
        raise Conflict(_l("抽選は実施済みです。"), code="already_drawn")
    _, closes = window_of(frame)
    if now < closes:
        raise Conflict(_l("抽選は申込締切の後に実施できます。"), code="too_early")
    db.session.execute(select(Frame.id).where(Frame.id == frame.id).with_for_update())
    seed = seed or secrets.token_hex(8)
    order = draw_order(frame.id, seed)
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
    db.session.flush()
    db.session.refresh(frame)
    return {"seed": seed, "won": won, "waitlisted": lost}


def draw_order(frame_id: int, seed: str) -> list[Registration]:
    """The applicants in draw order: applications sorted by id, shuffled by the seed."""
    applicants = list(
        db.session.scalars(
            select(Registration)
            .where(Registration.frame_id == frame_id, Registration.status == "applied")
            .order_by(Registration.id)
        )
    )
    return shuffled(applicants, seed)


def shuffled(applicants: list[Registration], seed: str) -> list[Registration]:
    """The draw itself: a seeded shuffle of applications in id order."""
    order = sorted(applicants, key=lambda r: r.id)
    random.Random(seed).shuffle(order)
    return order


def lottery_applicants_at_draw(frame: Frame) -> list[Registration]:
    """Audit: re-run a recorded draw; the order must match the ranks decided then."""
    drawn = frame.lottery_drawn_at
    regs = db.session.scalars(
        select(Registration).where(
            Registration.frame_id == frame.id,
            Registration.created_at <= drawn,
            (Registration.cancelled_at.is_(None)) | (Registration.cancelled_at > drawn),
        )
    )
    return shuffled(list(regs), frame.lottery_seed or "")
