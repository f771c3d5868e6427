"""Walk-in visitors: registered at the entrance desk and let in, in one unit of work.

A visitor who did not register beforehand gives the desk their name, furigana and (if they
like) company and e-mail. They get a guest account (or their existing one, found by the
e-mail), a registration in the fair's in-person frame under the same rules as any other
(registration stays open until the last day closes), and the day's entry. With an e-mail
they get the usual confirmation with their pass; without one there is nobody to write to,
so the account has an address under the reserved `.invalid` domain, which the outbox never
writes to.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from booking.accounts.models import Company, User
from booking.accounts.services import PersonDetails, create_user, user_by_email
from booking.errors import AlreadyRegistered, Invalid
from booking.events.models import Frame, Registration
from booking.events.registrations import audience_allows, register_for_frame
from booking.exhibitions.entrance.entries import REFUSALS, EntryResult, enter, scan_day
from booking.exhibitions.lookup import fair_days
from booking.exhibitions.models import Exhibition
from booking.extensions import db
from booking.notifications.services import UNDELIVERABLE_DOMAIN


@dataclass(frozen=True)
class WalkIn:
    """What the desk asks a walk-in visitor; company and e-mail are optional."""

    family_name: str
    given_name: str
    family_kana: str
    given_kana: str
    company: str = ""
    email: str = ""
    phone: str = ""


def walk_in_frames(exhibition: Exhibition) -> list[Frame]:
    """The frames a walk-in can take: in person, open to non-members."""
    return [f for f in exhibition.event.frames if f.mode == "in_person" and f.audience != "members"]


def register_walk_in(
    exhibition: Exhibition, visitor: WalkIn, entrance: str, now: datetime, staff,
    day: date | None = None, frame_id: int | None = None, attestation: bool = False,
) -> EntryResult:  # fmt: skip
    """Register a walk-in visitor and record their entry; the caller commits.

    :raises Invalid: not a fair day, no in-person frame for walk-ins, or a name is missing.
    :raises DomainError: the registration rules said no (closed, full, …).
    """
    if scan_day(exhibition, now, day) not in fair_days(exhibition):
        raise Invalid(REFUSALS["not_fair_day"])  # register nobody on a day they cannot enter
    frames = walk_in_frames(exhibition)
    frame = next((f for f in frames if f.id == frame_id), frames[0] if frames else None)
    if frame is None:
        raise Invalid(_l("当日受付できる会場来場の参加枠がありません。"), field="frame")
    if not (visitor.family_name.strip() and visitor.given_name.strip()):
        raise Invalid(_l("お名前を入力してください。"), field="family_name")
    user = _account(visitor)
    if not audience_allows(frame, user):
        frame = next((f for f in frames if audience_allows(f, user)), frame)
    try:
        with db.session.begin_nested():
            reg = register_for_frame(user, exhibition.event_id, frame.id, {}, now, attestation)
    except AlreadyRegistered:
        # They had registered after all (found by their e-mail): let them in on that one.
        reg = db.session.scalar(
            select(Registration).where(
                Registration.event_id == exhibition.event_id,
                Registration.active_user_id == user.id,
            )
        )
    return enter(exhibition, reg.pass_token, entrance, now, staff=staff, day=day)


def _account(visitor: WalkIn) -> User:
    """The visitor's existing account (by e-mail), else a new guest account."""
    if visitor.email:
        existing = user_by_email(visitor.email)
        if existing is not None:
            return existing
    email = visitor.email or f"walk-in-{secrets.token_hex(8)}@{UNDELIVERABLE_DOMAIN}"
    company = None
    if visitor.company.strip():
        company = Company(name=visitor.company.strip()[:200], name_kana="")
        db.session.add(company)
    details = PersonDetails(
        visitor.family_name, visitor.given_name, visitor.family_kana, visitor.given_kana,
        visitor.phone,
    )  # fmt: skip
    return create_user(email, None, "guest", details, company=company)
