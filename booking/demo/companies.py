"""Demo of company administrators (会社の担当者): member@demo.tsunagu.jp looks after
株式会社山田製作所, whose colleague colleague@demo.tsunagu.jp was registered by them for an
upcoming seminar (a proxy registration, through the registration service)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from booking.accounts.models import User
from booking.companies.admins import admin_ids, appoint_admin
from booking.companies.proxy import register_colleague
from booking.events.models import Event, Frame, Registration
from booking.events.registrations import frame_state
from booking.extensions import db

ADMIN = "member@demo.tsunagu.jp"
COLLEAGUE = "colleague@demo.tsunagu.jp"


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def load_company_admins(now: datetime) -> None:
    """Idempotent: appoints the administrator once and registers the colleague once."""
    admin, colleague, staff = _user(ADMIN), _user(COLLEAGUE), _user("admin@demo.tsunagu.jp")
    if admin is None or colleague is None or admin.company_id is None:
        return
    if admin.id not in admin_ids(admin.company_id):
        appoint_admin(admin, staff or admin, now)
    if db.session.scalar(select(Registration.id).where(Registration.user_id == colleague.id)):
        return
    frames = db.session.scalars(
        select(Frame).join(Event, Event.id == Frame.event_id)
        .where(Event.status == "published", Event.kind == "seminar", Frame.mode == "in_person",
               Frame.audience == "all", Frame.lottery.is_(False), Event.starts_at > now)
        .order_by(Event.starts_at, Frame.id)
    )  # fmt: skip
    frame = next((f for f in frames if frame_state(f, now) in ("open", "few_left")
                  and not f.event.questions and not f.event.attestation), None)  # fmt: skip
    if frame is not None:
        register_colleague(admin, frame.event_id, frame.id, now, colleague_id=colleague.id)
