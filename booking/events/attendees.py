"""Staff work on attendees: the list by furigana, the rows of its CSV, messages."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from booking import accommodation
from booking.accounts.models import User
from booking.events import notices
from booking.events.models import ACTIVE_STATUSES, Event, Registration
from booking.extensions import db
from booking.textnorm import nfkc, to_katakana
from booking.timefmt import to_local
from booking.tokens import new_token


def attendees(
    event: Event, status: str = "", sort: str = "kana", q: str = ""
) -> list[Registration]:
    """Registrations of an event, sorted by furigana (フリガナ順) or by time of registration."""
    query = (
        select(Registration)
        .join(User, User.id == Registration.user_id)
        .where(Registration.event_id == event.id)
        .options(
            joinedload(Registration.user),
            joinedload(Registration.company),
            joinedload(Registration.frame),
        )
    )
    if status == "active":
        query = query.where(Registration.status.in_(ACTIVE_STATUSES))
    elif status:
        query = query.where(Registration.status == status)
    if q:
        word = nfkc(q)
        kana = to_katakana(word)
        like, kana_like = f"%{word}%", f"%{kana}%"
        query = query.where(
            User.family_name.ilike(like) | User.given_name.ilike(like)
            | User.family_kana.ilike(kana_like) | User.given_kana.ilike(kana_like)
            | (User.family_name + User.given_name).ilike(like.replace(" ", ""))
            | (User.family_kana + User.given_kana).ilike(kana_like.replace(" ", ""))
            | Registration.reference.ilike(like)
        )  # fmt: skip
    if sort == "created":
        query = query.order_by(Registration.created_at, Registration.id)
    else:
        query = query.order_by(User.family_kana, User.given_kana, Registration.id)
    return list(db.session.scalars(query).unique())


def attendee_table(event: Event, regs: list[Registration]) -> tuple[list, list[list]]:
    """(header, rows) of the attendee CSV, one row per registration, in the active locale."""
    status_words = {"confirmed": _("参加確定"), "waitlisted": _("キャンセル待ち"),
                    "applied": _("抽選申込中"), "cancelled": _("キャンセル済み")}  # fmt: skip
    header = (
        [_("受付番号"), _("状態"), _("参加枠"), _("氏名"), _("フリガナ"), _("会社名"), _("会員番号"),
         _("メールアドレス"), _("電話番号"), _("申込日時"), _("受付日時"), _("合理的配慮")]
        + [q.label for q in event.questions]
    )  # fmt: skip
    rows = []
    for reg in regs:
        user, company = reg.user, reg.company
        answers = []
        for q in event.questions:
            value = reg.answers.get(q.key)
            if isinstance(value, list):
                value = " / ".join(value)
            elif value is True:
                value = _("はい")
            elif value is False:
                value = ""
            answers.append(value)
        row = [
            reg.reference, status_words.get(reg.status, reg.status), reg.frame.name,
            user.full_name, user.full_kana, company.name if company else "",
            company.member_no if company else "", user.email, user.phone,
            to_local(reg.created_at).strftime("%Y-%m-%d %H:%M"),
            to_local(reg.checked_in_at).strftime("%Y-%m-%d %H:%M") if reg.checked_in_at else "",
            accommodation.describe(reg.accommodations, reg.accommodation_note), *answers,
        ]  # fmt: skip
        rows.append(row)
    return header, rows


def message_attendees(
    event: Event, subject: str, body: str, now: datetime, frame_id: int | None = None,
    status: str = "confirmed",
) -> int:  # fmt: skip
    """Plan one mail per matching registration; returns how many."""
    statuses = ACTIVE_STATUSES if status == "active" else (status,)
    query = select(Registration).where(
        Registration.event_id == event.id, Registration.status.in_(statuses)
    )
    if frame_id:
        query = query.where(Registration.frame_id == frame_id)
    batch = new_token(6)
    regs = list(db.session.scalars(query))
    for reg in regs:
        notices.staff_message(reg, now, subject, body, batch)
    return len(regs)
