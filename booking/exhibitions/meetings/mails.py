"""Mails about meetings (商談), planned into the outbox in the caller's transaction.

Both sides get each mail: the visitor, and the exhibitor's contact person. Every mail is
`about="meeting:<id>"` with `about_version` = the meeting's `sequence` when planned, so a
mail a later change made stale is dropped instead of sent; the exhibitor's reminders are
`about="meeting_host:<id>"` (reminder keys are per `about`, one set per recipient).
Each mail carries a signed cancel link for its recipient's side (`/meetings/c/<token>`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from booking.accounts.models import User
from booking.accounts.names import addressed_name
from booking.exhibitions.meetings.leads import active_lead
from booking.exhibitions.models import Exhibitor, Meeting
from booking.exhibitions.policy import shown_join_url
from booking.extensions import db
from booking.notifications.reminders import cancel_reminders, plan_reminders
from booking.notifications.services import plan_message
from booking.storable import in_int_range
from booking.timefmt import format_when

INVITES = {"booked": "REQUEST", "cancelled": "CANCEL"}
SIDES = {"v": "visitor", "x": "exhibitor"}


def _mac(meeting_id: int, side: str, person_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = f"meeting-cancel:{meeting_id}:{side}:{person_id}".encode()
    return base64.urlsafe_b64encode(hmac.new(key, message, hashlib.sha256).digest()[:18]).decode()


def _person_id(meeting: Meeting, side: str) -> int:
    return meeting.visitor_id if side == "v" else meeting.exhibitor_id


def cancel_token(meeting: Meeting, side: str) -> str:
    """`<id>-<v|x>-<mac>`: no dots, so the access-log filter redacts it whole."""
    return f"{meeting.id}-{side}-{_mac(meeting.id, side, _person_id(meeting, side))}"


def meeting_from_token(token: str) -> tuple[Meeting, str] | None:
    """(meeting, "visitor" | "exhibitor") for a valid link, else None."""
    ref, _, rest = (token or "").partition("-")
    side, _, mac = rest.partition("-")
    if not ref.isdigit() or len(ref) > 12 or not in_int_range(int(ref)) or side not in SIDES:
        return None
    meeting = db.session.get(Meeting, int(ref))
    if meeting is None:
        return None
    if not hmac.compare_digest(mac, _mac(meeting.id, side, _person_id(meeting, side))):
        return None
    return meeting, SIDES[side]


def cancel_url(meeting: Meeting, side: str) -> str:
    return f"{current_app.config['BASE_URL']}/meetings/c/{cancel_token(meeting, side)}"


def number(meeting: Meeting) -> str:
    """受付番号."""
    return f"M-{meeting.id:06d}"


def contact_email(exhibitor: Exhibitor) -> str:
    """Where the exhibitor's mails go: its contact person, else whoever applied."""
    if exhibitor.contact_email:
        return exhibitor.contact_email
    return exhibitor.applicant.email if exhibitor.applicant else ""


def locale_of(email: str) -> str:
    user = db.session.scalar(select(User).where(User.email == email)) if email else None
    return (user.locale if user else None) or "ja"


def booth_codes(exhibitor: Exhibitor) -> str:
    return "・".join(b.code for b in exhibitor.booths)


def mail_context(meeting: Meeting, locale: str, for_exhibitor: bool, by: str = "") -> dict:
    """JSON-serialisable context; the join link only for online meetings."""
    exhibitor, visitor = meeting.exhibitor, meeting.visitor
    event = meeting.exhibition.event
    base = current_app.config["BASE_URL"]
    return {
        "name": (exhibitor.contact_name or exhibitor.name)
        if for_exhibitor
        else addressed_name(visitor, locale),
        "for_exhibitor": for_exhibitor,
        "number": number(meeting),
        "fair": event.title,
        "exhibitor": exhibitor.name,
        "booth": booth_codes(exhibitor),
        "mode": meeting.mode,
        "when": format_when(meeting.starts_at, meeting.ends_at, locale),
        "venue": " ".join(x for x in (event.venue_name, event.venue_address) if x),
        "join_url": shown_join_url(meeting),  # none in the cancellation mail
        "visitor": visitor.full_name,
        "visitor_kana": visitor.full_kana,
        "company": visitor.company.name if visitor.company else "",
        "topic": meeting.topic,
        "shared": active_lead(exhibitor, visitor) is not None,
        "by": by,
        "active": meeting.active,
        "cancel_url": cancel_url(meeting, "x" if for_exhibitor else "v"),
        "meeting_url": f"{base}/meetings/{meeting.id}",
    }


def recipients(meeting: Meeting) -> list[tuple[str, str, str]]:
    """(role, email, locale) of the visitor and the exhibitor's contact."""
    out = [("visitor", meeting.visitor.email, meeting.visitor.locale or "ja")]
    email = contact_email(meeting.exhibitor)
    if email:
        out.append(("exhibitor", email, locale_of(email)))
    return out


def announce(meeting: Meeting, kind: str, now: datetime, by: str = "") -> None:
    """Plan the `booked` / `cancelled` mails (with their calendar invitation) to both sides,
    and plan or cancel both sides' reminders."""
    version = meeting.sequence
    about = f"meeting:{meeting.id}"
    for role, email, locale in recipients(meeting):
        plan_message(
            f"{about}:{kind}:{role}", email, f"meeting_{kind}",
            mail_context(meeting, locale, role == "exhibitor", by),
            locale=locale, about=about, about_version=version, invite=INVITES[kind],
        )  # fmt: skip
    for role, email, locale in recipients(meeting):
        reminder_about = about if role == "visitor" else f"meeting_host:{meeting.id}"
        if kind == "cancelled":
            cancel_reminders(reminder_about)
            continue
        plan_reminders(
            reminder_about, email, locale, meeting.starts_at, "meeting_reminder",
            mail_context(meeting, locale, role == "exhibitor"), now, version=version,
            ends_at=meeting.ends_at,
        )  # fmt: skip
