"""Proxy registration: a company administrator registers a colleague for an event.

It goes through the one registration service (`register_for_frame`): the same frames,
window, waitlist and per-company limits apply and count it; the colleague gets the mail and
the pass, and the registration records who made it. A new person (name, furigana, e-mail)
gets an account in the company and the invitation to sign in.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from booking.accounts.models import Company, User
from booking.accounts.services import create_user, user_by_email
from booking.companies.invitations import Invitee, invite_colleague
from booking.companies.policy import is_colleague, is_company_admin
from booking.errors import Conflict, Invalid, NotFound
from booking.events.models import Event, Registration
from booking.events.registrations import register_for_frame
from booking.extensions import db


def colleague_for(admin: User, user_id) -> User:
    """An active colleague of the administrator's company. :raises NotFound:"""
    person = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if not is_company_admin(admin) or not is_colleague(admin, person):
        raise NotFound(_l("この方は見つかりません。"), field="colleague")
    return person


def new_colleague(admin: User, invitee: Invitee) -> tuple[User, bool]:
    """The account of a person the administrator names by e-mail: a colleague's own, or a new
    one in the company (no password yet); the flag says whether it is new.

    :raises Conflict: the address belongs to somebody outside the company (said without
        telling whose it is).
    """
    if not (invitee.family_name.strip() and invitee.given_name.strip()):
        raise Invalid(_l("お名前を入力してください。"), field="family_name")
    if not (invitee.family_kana.strip() and invitee.given_kana.strip()):
        raise Invalid(_l("フリガナを入力してください。"), field="family_kana")
    existing = user_by_email(invitee.email)
    if existing is not None:
        if is_colleague(admin, existing):
            return existing, False
        raise Conflict(
            _l("このメールアドレスではお申し込みできません。貴社の方であれば、"
               "まず会社への招待をお送りください。"),
            field="email",
        )  # fmt: skip
    company = db.session.get(Company, admin.company_id)
    person = create_user(invitee.email, None, "member", invitee.details, company=company)
    person.locale = admin.locale or "ja"
    return person, True


def register_colleague(
    admin: User,
    event_id: int,
    frame_id,
    now: datetime,
    *,
    colleague_id=None,
    invitee: Invitee | None = None,
    answers=None,
    attestation: bool = False,
) -> Registration:
    """Register a colleague (chosen by id, or a new person) for one frame of an event.

    :raises NotFound: not an administrator; the colleague is not of the company.
    :raises DomainError: whatever the registration service refuses (full, limit, window…).
    """
    if not is_company_admin(admin):
        raise NotFound(_l("ページが見つかりません。"))
    if invitee is not None:
        person, is_new = new_colleague(admin, invitee)
    else:
        person, is_new = colleague_for(admin, colleague_id), False
    if person.id == admin.id:
        raise Invalid(_l("ご自身のお申し込みは、イベントのページからどうぞ。"), field="colleague")
    reg = register_for_frame(person, event_id, frame_id, answers or {}, now, attestation,
                             registered_by=admin)  # fmt: skip
    if is_new:
        event = db.session.get(Event, event_id)
        invite_colleague(admin, invitee, now, event_title=event.title)
    return reg
