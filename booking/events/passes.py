"""Signed cancel links, QR pass tokens, door check-in and the no-show record."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Update, func, inspect, select, update

from booking.errors import Conflict, NotFound
from booking.events.models import Event, Frame, Registration
from booking.extensions import db
from booking.timefmt import as_utc


def _link_mac(reg_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"registration-cancel:{reg_id}".encode(), hashlib.sha256).digest()
    import base64

    return base64.urlsafe_b64encode(digest[:18]).decode()


def cancel_link_token(reg: Registration) -> str:
    """`<id>-<mac>`: no dots, so the access-log filter can redact it."""
    return f"{reg.id}-{_link_mac(reg.id)}"


def registration_for_link(token: str) -> Registration:
    """:raises NotFound: the token is malformed or its signature is wrong."""
    ref, _, mac = (token or "").partition("-")
    if not ref.isdigit() or len(ref) > 12 or not hmac.compare_digest(mac, _link_mac(int(ref))):
        raise NotFound(_l("リンクが正しくありません。"))
    reg = db.session.get(Registration, int(ref))
    if reg is None:
        raise NotFound(_l("リンクが正しくありません。"))
    return reg


def registration_for_pass(token: str) -> Registration | None:
    token = (token or "").strip()
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Registration).where(Registration.pass_token == token))


def check_in(reg: Registration, now: datetime) -> bool:
    """Mark attendance; returns False when the person was already checked in (second scan).

    :raises Conflict: not a confirmed registration.
    """
    if reg.status != "confirmed":
        raise Conflict(_l("確定していないお申し込みです。"), code="not_confirmed")
    first = mark_checked_in(reg.id, now)
    db.session.refresh(reg)
    return first


def mark_checked_in(reg_id: int, now: datetime) -> bool:
    """The attendance mark itself: set once, by the first check-in (a later one never moves
    it); returns whether this call set it. One UPDATE of the table; a copy of the row loaded
    in the session reads the mark again when next used."""
    result = db.session.execute(check_in_update(reg_id, now))
    forget_check_in(reg_id)
    return result.rowcount == 1


def check_in_update(reg_id, now: datetime) -> Update:
    """The one check-in rule as a statement: the mark is set by the first check-in only.

    `reg_id` is an id or a SQL expression yielding one (the door scan puts this UPDATE in the
    same statement as its entry insert, for the row it inserted; a statement in WITH gets
    no column defaults, hence `updated_at` given here)."""
    table = Registration.__table__
    return (
        update(table)
        .where(table.c.id == reg_id, table.c.checked_in_at.is_(None))
        .values(checked_in_at=now, updated_at=now)
    )


def forget_check_in(reg_id: int) -> None:
    """A copy of the registration loaded in this session reads its mark again when next used
    (the UPDATE went around the ORM)."""
    loaded = db.session.identity_map.get(
        inspect(Registration).identity_key_from_primary_key((reg_id,))
    )
    if loaded is not None:
        db.session.expire(loaded, ["checked_in_at", "updated_at"])


def is_no_show(reg: Registration, now: datetime) -> bool:
    """The one no-show rule: confirmed for an in-person frame of an event that was held and
    has ended, never checked in at the door (online has no door, so never a no-show)."""
    return (
        reg.status == "confirmed" and reg.checked_in_at is None
        and reg.frame.mode == "in_person" and reg.event.status != "cancelled"
        and as_utc(reg.event.ends_at) < now
    )  # fmt: skip


def company_no_shows(company_ids: list[int], now: datetime) -> dict[int, int]:
    """Confirmed registrations of past events never checked in, per company."""
    return _no_shows(Registration.company_id, company_ids, now)


def person_no_show_counts(user_ids: list[int], now: datetime) -> dict[int, int]:
    """The same record per person (for people without a company)."""
    return _no_shows(Registration.user_id, user_ids, now)


def _no_shows(column, ids: list[int], now: datetime) -> dict[int, int]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(column, func.count())
        .join(Event, Event.id == Registration.event_id)
        .join(Frame, Frame.id == Registration.frame_id)
        .where(  # `is_no_show`, as a query
            column.in_(ids),
            Registration.status == "confirmed",
            Registration.checked_in_at.is_(None),
            Frame.mode == "in_person",
            Event.ends_at < now,
            Event.status != "cancelled",
        )
        .group_by(column)
    )
    return dict(rows.all())
