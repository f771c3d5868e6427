"""Account rules: creating people, signing in, confirming e-mail, resetting passwords, tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from booking.accounts.models import ROLES, AccountToken, ApiToken, Company, User
from booking.accounts.names import addressed_name
from booking.errors import Conflict, Invalid
from booking.extensions import db
from booking.notifications.services import plan_message
from booking.org.services import unit_by_key
from booking.textnorm import normalise_email, normalise_phone, to_katakana
from booking.timefmt import as_utc
from booking.tokens import new_token, token_hash

CONFIRM_TTL = timedelta(days=3)
RESET_TTL = timedelta(hours=1)
MIN_PASSWORD = 8


@dataclass
class PersonDetails:
    family_name: str = ""
    given_name: str = ""
    family_kana: str = ""
    given_kana: str = ""
    phone: str = ""


def password_hash_method() -> str:
    """The app's `PASSWORD_HASH_METHOD` (scrypt; the tests' settings choose a cheap one)."""
    return current_app.config["PASSWORD_HASH_METHOD"]


def hash_password(password: str, method: str | None = None) -> str:
    """`method` is for processes without an app (the importer's pool); else the app's."""
    return generate_password_hash(password, method or password_hash_method())


@cache
def unknown_account_hash(method: str) -> str:
    """A constant hash to compare against when the account does not exist, so that a failed
    sign-in takes the same time either way and does not tell which e-mails are registered."""
    return generate_password_hash("not-a-password", method)


def check_password_rules(password: str) -> None:
    """:raises Invalid: too short."""
    if len(password or "") < MIN_PASSWORD:
        raise Invalid(
            _l("パスワードは%(n)d文字以上にしてください。", n=MIN_PASSWORD), field="password"
        )


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def account_still_holds(ref: int, version: int | None, now: datetime) -> bool:
    """The send-time check of account mail: the account still exists."""
    return db.session.get(User, ref) is not None


def create_user(
    email: str,
    password: str | None,
    role: str,
    details: PersonDetails | None = None,
    *,
    company: Company | None = None,
    unit_key: str | None = None,
    confirmed_at: datetime | None = None,
) -> User:
    """Create an account.

    :raises Conflict: the e-mail is taken.
    :raises Invalid: unknown role or unit.
    """
    email = normalise_email(email)
    if role not in ROLES:
        raise Invalid(_l("不明な権限です。"), field="role")
    if user_by_email(email):
        raise Conflict(_l("このメールアドレスは既に登録されています。"), field="email")
    user = User(email=email, role=role, company=company, email_confirmed_at=confirmed_at)
    apply_details(user, details or PersonDetails())
    if unit_key:
        unit = unit_by_key(unit_key)
        if unit is None:
            raise Invalid(_l("不明な組織です。"), field="unit")
        user.unit = unit
    if password:
        user.password_hash = hash_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def apply_details(user: User, details: PersonDetails) -> None:
    """Copy a person's name, furigana (stored as katakana) and phone onto the account."""
    user.family_name = details.family_name.strip()
    user.given_name = details.given_name.strip()
    user.family_kana = to_katakana(details.family_kana)
    user.given_kana = to_katakana(details.given_kana)
    user.phone = normalise_phone(details.phone)


def authenticate(email: str, password: str) -> User | None:
    """The account if the password matches and the account may sign in, else None."""
    user = user_by_email(email)
    if user is None or not user.password_hash:
        check_password_hash(unknown_account_hash(password_hash_method()), password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    return user if user.active else None


def sign_up_guest(
    email: str,
    password: str,
    details: PersonDetails,
    locale: str,
    now: datetime,
    company_name: str = "",
) -> User | None:
    """Create a guest account and plan its confirmation mail; None when the address is taken.

    The page answers the same either way ("we sent a mail"), so nobody learns from it whose
    address has an account: the owner of a taken address is mailed instead, once an hour at
    most — a new confirmation link if they never confirmed, else a note that someone tried.
    """
    check_password_rules(password)
    existing = user_by_email(email)
    if existing is not None:
        hash_password(password)  # as long as a real sign-up takes
        _tell_owner_of_attempt(existing, now)
        return None
    user = create_user(email, password, "guest", details)
    user.locale = locale
    user.company_name = (company_name or "").strip()[:200]
    user.privacy_agreed_at = now
    _send_link(user, "confirm", CONFIRM_TTL, "account_confirm", now)
    return user


def _tell_owner_of_attempt(user: User, now: datetime) -> None:
    if user.email_confirmed_at is None:
        resend_confirmation(user, now)
        return
    key = f"account:{user.id}:signup-attempt:{now.strftime('%Y%m%d%H')}"
    from booking.notifications.models import OutboxMessage

    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
        return
    base = current_app.config["BASE_URL"]
    plan_message(
        key,
        user.email,
        "account_signup_attempt",
        {"name": addressed_name(user, user.locale), "login_url": f"{base}/account/login",
         "reset_url": f"{base}/account/reset"},
        locale=user.locale,
        about=f"user:{user.id}",
        due_at=now,
    )  # fmt: skip


def _issue_link_token(user: User, purpose: str, ttl: timedelta, now: datetime) -> str:
    token = new_token()
    db.session.add(
        AccountToken(user=user, purpose=purpose, token_hash=token_hash(token), expires_at=now + ttl)
    )
    return token


def _send_link(
    user: User, purpose: str, ttl: timedelta, template: str, now: datetime, key: str | None = None
) -> None:
    token = _issue_link_token(user, purpose, ttl, now)
    base = current_app.config["BASE_URL"]
    path = "confirm" if purpose == "confirm" else "reset"
    db.session.flush()
    plan_message(
        key or f"account:{user.id}:{purpose}:{token_hash(token)[:16]}",
        user.email,
        template,
        {
            "name": addressed_name(user, user.locale),
            "url": f"{base}/account/{path}/{token}",
            "hours": ttl // timedelta(hours=1),
        },
        locale=user.locale,
        about=f"user:{user.id}",
        due_at=now,
    )


def use_link_token(token: str, purpose: str, now: datetime) -> User | None:
    """Spend a one-time token: the account, or None when unknown, used or expired."""
    row = db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == token_hash(token or ""), AccountToken.purpose == purpose
        )
    )
    if row is None or row.used_at is not None or as_utc(row.expires_at) <= now:
        return None
    # Conditional update: of two clicks at once, only one spends the token.
    spent = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == row.id, AccountToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return row.user if spent == 1 else None


def peek_link_token(token: str, purpose: str, now: datetime) -> User | None:
    """Like use_link_token, without spending it (to show the form before the POST)."""
    row = db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == token_hash(token or ""), AccountToken.purpose == purpose
        )
    )
    if row is None or row.used_at is not None or as_utc(row.expires_at) <= now:
        return None
    return row.user


def resend_confirmation(user: User, now: datetime) -> None:
    """Send a fresh confirmation link, at most one an hour (the key carries the hour)."""
    if user.email_confirmed_at is not None:
        return
    hour = now.strftime("%Y%m%d%H")
    key = f"account:{user.id}:confirm-again:{hour}"
    from booking.notifications.models import OutboxMessage

    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
        return
    _send_link(user, "confirm", CONFIRM_TTL, "account_confirm", now, key=key)


def confirm_email(token: str, now: datetime) -> User | None:
    user = use_link_token(token, "confirm", now)
    if user is not None and user.email_confirmed_at is None:
        user.email_confirmed_at = now
    return user


def request_password_reset(email: str, now: datetime) -> None:
    """Plan a reset mail if the account exists; says nothing either way (no account probing)."""
    user = user_by_email(email)
    if user is not None and user.active:
        _send_link(user, "reset", RESET_TTL, "account_reset", now)


def reset_password(token: str, password: str, now: datetime) -> User:
    """:raises Invalid: the link is unknown, used or expired, or the password too short."""
    check_password_rules(password)
    user = use_link_token(token, "reset", now)
    if user is None:
        raise Invalid(_l("このリンクは無効か、有効期限が切れています。"), code="invalid_token")
    user.password_hash = hash_password(password)
    user.session_version += 1  # signs out every other session
    if user.email_confirmed_at is None:
        user.email_confirmed_at = now  # the mail reached them
    return user


def update_profile(user: User, details: PersonDetails, locale: str) -> None:
    apply_details(user, details)
    if locale in current_app.config["LANGUAGES"]:
        user.locale = locale


def issue_api_token(user: User) -> str:
    """A new API token for the account; only its hash is kept, so show it once."""
    token = new_token()
    db.session.add(ApiToken(user=user, token_hash=token_hash(token)))
    return token


# Built once: every API request asks it.
_TOKEN_HOLDER = (
    select(User)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(
        ApiToken.token_hash == bindparam("token_hash"),
        ApiToken.revoked_at.is_(None),
        User.active.is_(True),
    )
)


def user_for_api_token(token: str, now: datetime) -> User | None:
    """The active account holding this unrevoked token (one statement: every API request)."""
    return db.session.scalar(_TOKEN_HOLDER, {"token_hash": token_hash(token)})


def load_user(session_id: str) -> User | None:
    """Flask-Login loader: `id:version`, so a password change ends other sessions; a
    deactivated account has no session at all."""
    user_id, _, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def set_company_interests(user: User, section_slugs: list[str]) -> None:
    """Replace the company's interests with these sections.

    :raises NotAllowed: the person has no company.
    """
    from booking.errors import NotAllowed
    from booking.org.services import units_of_kind

    if user.company is None:
        raise NotAllowed(_l("会社情報が登録されていません。"))
    wanted = set(section_slugs)
    user.company.interests = [u for u in units_of_kind("section") if u.slug in wanted]
