"""Mails about consultations, planned into the outbox in the caller's transaction.

Every mail is `about="consultation:<id>"` with `about_version` = the booking's `sequence`
when planned, so a mail that a later change made stale is dropped instead of sent.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from booking.accounts.names import addressed_name
from booking.consultations.models import Consultation
from booking.consultations.policy import join_url
from booking.extensions import db
from booking.localnames import localized
from booking.notifications.reminders import cancel_reminders, plan_reminders
from booking.notifications.services import plan_message
from booking.timefmt import format_when

INVITES = {"booked": "REQUEST", "changed": "REQUEST", "cancelled": "CANCEL"}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="consultation-manage")


def manage_token(consultation: Consultation) -> str:
    """The signed part of the link in every mail (change / cancel without signing in)."""
    return _serializer().dumps([consultation.id, consultation.member_id])


def consultation_from_token(token: str) -> Consultation | None:
    try:
        cid, member_id = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    consultation = db.session.get(Consultation, cid) if isinstance(cid, int) else None
    if consultation is None or consultation.member_id != member_id:
        return None
    return consultation


def manage_url(consultation: Consultation) -> str:
    return f"{current_app.config['BASE_URL']}/consultations/m/{manage_token(consultation)}"


def number(consultation: Consultation) -> str:
    """受付番号."""
    return f"C-{consultation.id:06d}"


def place(consultation: Consultation) -> str:
    if consultation.consultation_day is not None:
        day = consultation.consultation_day
        return f"{day.venue_name or day.branch.name} {day.venue_address}".strip()
    if consultation.channel.slug == "branch" and consultation.branch is not None:
        return consultation.branch.name
    return consultation.channel.name


def mail_context(consultation: Consultation, locale: str, for_advisor: bool) -> dict:
    """JSON-serialisable context; the join link only for online sessions."""
    member = consultation.member
    advisor = consultation.advisor
    # The policy's link: a cancelled session's mail names no room to join.
    join = join_url(consultation) or ""
    return {
        "name": (advisor.name if for_advisor else addressed_name(member, locale)) or "",
        "for_advisor": for_advisor,
        "number": number(consultation),
        "theme": localized(consultation.theme, english=locale.startswith("en")),
        "channel": localized(consultation.channel, english=locale.startswith("en")),
        "advisor": advisor.name,
        "member": member.full_name,
        "company": member.company.name if member.company else "",
        "when": format_when(consultation.starts_at, consultation.ends_at, locale),
        "place": place(consultation),
        "join_url": join,
        "topic": consultation.topic,
        "late": consultation.late_cancellation,
        "manage_url": "" if for_advisor else manage_url(consultation),
        "schedule_url": f"{current_app.config['BASE_URL']}/consultations/desk/",
    }


def announce(consultation: Consultation, kind: str, now: datetime) -> None:
    """Plan the `booked` / `changed` / `cancelled` mails to the member and the advisor, and
    (re)plan or cancel the member's reminders."""
    about = f"consultation:{consultation.id}"
    version = consultation.sequence
    key_part = f"{kind}:{version}" if kind == "changed" else kind
    for role, person in (("member", consultation.member), ("advisor", consultation.advisor.user)):
        locale = person.locale or "ja"
        plan_message(
            f"{about}:{key_part}:{role}",
            person.email,
            f"consultation_{kind}",
            mail_context(consultation, locale, role == "advisor"),
            locale=locale,
            about=about,
            about_version=version,
            invite=INVITES[kind],
        )
    if kind == "cancelled":
        cancel_reminders(about)
        return
    member = consultation.member
    locale = member.locale or "ja"
    plan_reminders(
        about,
        member.email,
        locale,
        consultation.starts_at,
        "consultation_reminder",
        mail_context(consultation, locale, False),
        now,
        version=version,
    )
