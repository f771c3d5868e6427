"""Inviting a colleague to join the company: a one-time link by mail (through the outbox).

Whoever opens the link and accepts joins the company as a member: signed in, their own
account; not signed in, the account the administrator prepared for them (proxy registration
of a new person) or a new one. Only the hash of the link's token is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from booking.accounts.models import Company, User
from booking.accounts.names import addressed_name
from booking.accounts.services import (
    PersonDetails,
    apply_details,
    check_password_rules,
    create_user,
    hash_password,
    user_by_email,
)
from booking.companies.models import CompanyInvitation
from booking.companies.policy import is_company_admin
from booking.errors import Conflict, NotFound
from booking.extensions import db
from booking.notifications.services import plan_message
from booking.textnorm import normalise_email, to_katakana
from booking.timefmt import as_utc
from booking.tokens import new_token, token_hash

INVITE_TTL = timedelta(days=7)
# Invitations are mail to addresses anybody can type: a day's cap keeps an administrator's
# account from becoming a way to send mail in bulk.
INVITES_PER_DAY = 30


@dataclass
class Invitee:
    """Who the administrator invites: an e-mail, and the name with its furigana."""

    email: str
    family_name: str = ""
    given_name: str = ""
    family_kana: str = ""
    given_kana: str = ""

    @property
    def details(self) -> PersonDetails:
        return PersonDetails(self.family_name, self.given_name, self.family_kana, self.given_kana)


def invite_colleague(
    admin: User, invitee: Invitee, now: datetime, event_title: str = ""
) -> CompanyInvitation:
    """Plan the invitation mail to `invitee` to join the administrator's company.

    `event_title`: the administrator also registered them for this event (the mail says so).
    :raises NotFound: not a company administrator.
    :raises Conflict: the address already belongs to a colleague who can sign in; the
        administrator sent `INVITES_PER_DAY` invitations in the last 24 hours.
    """
    if not is_company_admin(admin):
        raise NotFound(_l("ページが見つかりません。"))
    sent_today = db.session.scalar(
        select(func.count())
        .select_from(CompanyInvitation)
        .where(
            CompanyInvitation.invited_by_id == admin.id,
            CompanyInvitation.created_at > now - timedelta(days=1),
        )
    )
    if sent_today >= INVITES_PER_DAY:
        raise Conflict(
            _l("本日お送りできる招待の上限（%(n)s件）に達しました。明日以降にお送りください。",
               n=INVITES_PER_DAY),
            code="too_many_invitations",
        )  # fmt: skip
    email = normalise_email(invitee.email)
    existing = user_by_email(email)
    if (
        existing is not None
        and existing.company_id == admin.company_id
        and (existing.password_hash)
    ):
        raise Conflict(_l("この方は既に貴社のメンバーとして登録されています。"), field="email")
    token = new_token()
    invitation = CompanyInvitation(
        company_id=admin.company_id, email=email, invited_by_id=admin.id,
        family_name=invitee.family_name.strip(), given_name=invitee.given_name.strip(),
        family_kana=to_katakana(invitee.family_kana), given_kana=to_katakana(invitee.given_kana),
        token_hash=token_hash(token), expires_at=now + INVITE_TTL, created_at=now,
    )  # fmt: skip
    db.session.add(invitation)
    db.session.flush()
    locale = existing.locale if existing is not None else (admin.locale or "ja")
    english = locale.startswith("en")
    company = db.session.get(Company, admin.company_id)
    plan_message(
        f"company_invitation:{invitation.id}", email, "company_invitation",
        {"name": _invitee_name(invitation, english), "by": addressed_name(admin, locale),
         "company": company.name, "event_title": event_title,
         "url": f"{current_app.config['BASE_URL']}/company/join/{token}",
         "days": INVITE_TTL.days},
        locale=locale, due_at=now, about=f"company_invitation:{invitation.id}",
    )  # fmt: skip
    return invitation


def _invitee_name(invitation: CompanyInvitation, english: bool) -> str:
    person = User(family_name=invitation.family_name, given_name=invitation.given_name,
                  family_kana=invitation.family_kana, given_kana=invitation.given_kana)  # fmt: skip
    return addressed_name(person, "en" if english else "ja")


def invitation_for(token: str, now: datetime) -> CompanyInvitation | None:
    """The invitation of this link while it can still be used (not spent, not expired)."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(
        select(CompanyInvitation).where(CompanyInvitation.token_hash == token_hash(token))
    )
    if row is None or row.used_at is not None or as_utc(row.expires_at) <= now:
        return None
    return row


def invitation_still_holds(ref: int, version: int | None, now: datetime) -> bool:
    """Send-time check: the invitation has not been used and has not expired."""
    row = db.session.get(CompanyInvitation, ref)
    return row is not None and row.used_at is None and as_utc(row.expires_at) > now


def _spend(token: str, now: datetime) -> CompanyInvitation:
    """:raises NotFound: unknown, used or expired (of two clicks at once, one wins)."""
    row = invitation_for(token, now)
    spent = (
        row is not None
        and db.session.execute(
            update(CompanyInvitation)
            .where(CompanyInvitation.id == row.id, CompanyInvitation.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
    if not spent:
        raise NotFound(_l("この招待リンクは無効か、有効期限が切れています。"))
    return row


def join_refusal(user: User, invitation: CompanyInvitation) -> str | None:
    """Why this account cannot join the inviting company (None: it can)."""
    if user.role not in ("member", "guest"):
        return _l("商工会議所の職員・相談員のアカウントは会社に参加できません。")
    if user.company_id is not None and user.company_id != invitation.company_id:
        return _l(
            "このアカウントは既に別の会社に所属しています。所属の変更は事務局にお問い合わせください。"
        )
    return None


def _join(user: User, invitation: CompanyInvitation) -> None:
    if refusal := join_refusal(user, invitation):
        raise Conflict(refusal, code="other_company")
    user.company_id = invitation.company_id
    user.role = "member"  # a member company's people book as members


def accept_invitation(token: str, user: User, now: datetime) -> CompanyInvitation:
    """The signed-in person joins the inviting company.

    :raises NotFound: the link is unknown, used or expired.
    :raises Conflict: the account belongs to another company or to the chamber's staff.
    """
    invitation = _spend(token, now)
    _join(user, invitation)
    return invitation


def accept_as_new_person(
    token: str, details: PersonDetails, password: str, now: datetime, locale: str = "ja"
) -> User:
    """Not signed in: the invited address gets its account (the one an administrator prepared
    when registering them, or a new one) with this password, confirmed (the mail reached
    them), in the inviting company.

    :raises NotFound: the link is unknown, used or expired.
    :raises Invalid: the password is too short.
    :raises Conflict: the address already has an account with a password (sign in first).
    """
    check_password_rules(password)
    invitation = _spend(token, now)
    user = user_by_email(invitation.email)
    if user is not None and user.password_hash:
        raise Conflict(
            _l("このメールアドレスのアカウントは既にあります。ログインしてから参加してください。"),
            code="sign_in_first",
        )
    if user is None:
        user = create_user(invitation.email, password, "member", details)
        user.locale = locale
    else:
        apply_details(user, details)
        user.password_hash = hash_password(password)
    user.email_confirmed_at = user.email_confirmed_at or now
    user.privacy_agreed_at = user.privacy_agreed_at or now
    _join(user, invitation)
    return user
