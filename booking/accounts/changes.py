"""What staff change on an account: role and unit, deactivation, the account mail sent again.

Every change is recorded as an `AccountChange` (who, when, before and after) in the same
unit of work, so the record exists if and only if the change was committed.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from booking.accounts.models import ROLES, AccountChange, ApiToken, User
from booking.accounts.policy import may_change_role_and_unit, may_deactivate, may_resend_mail
from booking.accounts.services import request_password_reset, resend_confirmation
from booking.errors import Invalid, NotAllowed
from booking.extensions import db
from booking.org.models import Unit

# Roles that work for a unit of the chamber: they cannot be left without one.
UNIT_ROLES = ("staff", "advisor", "admin")


def record_change(
    person: User, actor: User | None, kind: str, before: str, after: str, now: datetime
) -> AccountChange:
    """Add one line to the person's change history."""
    change = AccountChange(
        user_id=person.id, actor_id=actor.id if actor else None, kind=kind,
        before=before[:254], after=after[:254], created_at=now,
    )  # fmt: skip
    db.session.add(change)
    return change


def changes_of(person: User) -> list[AccountChange]:
    """The person's change history, newest first."""
    return list(
        db.session.scalars(
            select(AccountChange)
            .where(AccountChange.user_id == person.id)
            .order_by(AccountChange.created_at.desc(), AccountChange.id.desc())
        )
    )


def _unit_key(unit: Unit | None) -> str:
    return unit.key if unit is not None else ""


def change_role_and_unit(
    person: User, role: str, unit: Unit | None, actor: User, now: datetime
) -> bool:
    """Set the person's role and unit (admins only); True when something changed.

    :raises NotAllowed: the actor is not an admin, or is changing their own role.
    :raises Invalid: unknown role; a staff, advisor or admin role without a unit.
    """
    if not may_change_role_and_unit(actor):
        raise NotAllowed(_l("権限と所属を変更できるのは管理者だけです。"))
    if role not in ROLES:
        raise Invalid(_l("不明な権限です。"), field="role")
    if person.id == actor.id and role != person.role:
        raise NotAllowed(
            _l("ご自身の権限は変更できません。別の管理者に依頼してください。"), field="role"
        )
    if role in UNIT_ROLES and unit is None:
        raise Invalid(_l("職員・相談員・管理者には所属を選んでください。"), field="unit")
    changed = False
    if role != person.role:
        record_change(person, actor, "role", person.role, role, now)
        person.role = role
        changed = True
    if _unit_key(unit) != _unit_key(person.unit):
        record_change(person, actor, "unit", _unit_key(person.unit), _unit_key(unit), now)
        person.unit = unit
        changed = True
    return changed


def set_active(person: User, active: bool, actor: User, now: datetime) -> None:
    """Deactivate or reactivate an account.

    A deactivated account cannot sign in: its sessions end at once (the session version
    grows), its API tokens are revoked, and sign-in refuses it.

    :raises NotAllowed: see `policy.may_deactivate`.
    :raises Invalid: the account is already in that state.
    """
    if not may_deactivate(actor, person):
        raise NotAllowed(_l("このアカウントを停止・再開する権限がありません。"))
    if person.active == active:
        raise Invalid(
            _l("このアカウントは既に利用中です。") if active else
            _l("このアカウントは既に停止されています。")
        )  # fmt: skip
    record_change(person, actor, "active" if active else "deactivate", "", "", now)
    person.active = active
    if not active:
        person.session_version += 1
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == person.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )


def account_mail_due(person: User) -> str | None:
    """Which account mail the person still needs: `confirm` (e-mail not confirmed),
    `invite` (no password yet: the set-a-password link), or None."""
    if not person.active:
        return None
    if person.email_confirmed_at is None:
        return "confirm"
    if not person.password_hash:
        return "invite"
    return None


def resend_account_mail(person: User, actor: User, now: datetime) -> str:
    """Plan the confirmation or invitation mail again (through the outbox); returns which.

    :raises NotAllowed: see `policy.may_resend_mail`.
    :raises Invalid: the account needs neither (confirmed, with a password) or is deactivated.
    """
    if not may_resend_mail(actor, person):
        raise NotAllowed(_l("このアカウントにメールを再送する権限がありません。"))
    due = account_mail_due(person)
    if due is None:
        raise Invalid(
            _l(
                "このアカウントには再送するメールがありません（確認済みでパスワードも設定済み、"
                "または停止中です）。パスワードを忘れた場合は、ログイン画面から再設定できます。"
            )
        )
    if due == "confirm":
        resend_confirmation(person, now)
    else:
        request_password_reset(person.email, now)
    record_change(person, actor, "mail", "", due, now)
    return due
