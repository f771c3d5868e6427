"""Companies, people and their secret tokens (stored only as hashes)."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.dbtypes import UTCDateTime
from booking.extensions import db
from booking.org.models import Unit
from booking.timefmt import now_utc

ROLES = ("member", "guest", "staff", "advisor", "admin")

company_interests = Table(
    "company_interests",
    db.metadata,
    Column("company_id", ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class Company(db.Model):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_kana: Mapped[str] = mapped_column(String(200), default="")
    member_no: Mapped[str | None] = mapped_column(String(32), unique=True)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    # The roster's facts a membership claim is checked against (`accounts.claims`).
    phone: Mapped[str] = mapped_column(String(32), default="", server_default="")
    postal_code: Mapped[str] = mapped_column(String(10), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    branch: Mapped[Unit | None] = relationship(foreign_keys=[branch_id])
    section: Mapped[Unit | None] = relationship(foreign_keys=[section_id])
    interests: Mapped[list[Unit]] = relationship(secondary=company_interests)

    @property
    def is_member(self) -> bool:
        return bool(self.member_no)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="guest", index=True)
    family_name: Mapped[str] = mapped_column(String(60), default="")
    given_name: Mapped[str] = mapped_column(String(60), default="")
    family_kana: Mapped[str] = mapped_column(String(60), default="")
    given_kana: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    postal_code: Mapped[str] = mapped_column(String(10), default="")
    # A guest's company or organisation as they typed it (members have `company`).
    company_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # When the person agreed to the handling of personal information (sign-up).
    privacy_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    locale: Mapped[str] = mapped_column(String(8), default="ja")
    active: Mapped[bool] = mapped_column(default=True)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped on password change so that old sessions and reset links stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    # Wrong membership claims (`accounts.claims`) since the first one of the current hour:
    # counted on the account, not as rows, so a refused claim saves nothing but the count.
    claim_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    claim_failures_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    company: Mapped[Company | None] = relationship()
    unit: Mapped[Unit | None] = relationship()

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def full_kana(self) -> str:
        return f"{self.family_kana} {self.given_kana}".strip()

    @property
    def is_member(self) -> bool:
        """A verified member: a person of a member company (role member with a company), or
        the chamber's own people (staff, advisors, admins count as members for access). The
        one rule behind member-only events, member frames and member prices."""
        if self.role == "member":
            return self.company_id is not None
        return self.role in ("staff", "advisor", "admin")

    @property
    def is_staff(self) -> bool:
        return self.role in ("staff", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class AccountToken(db.Model):
    """A one-time link sent by mail: e-mail confirmation or password reset."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    user: Mapped[User] = relationship()


class AccountChange(db.Model):
    """What staff changed on an account (role, unit, deactivation, merge, a mail sent again):
    who, when, and the value before and after. Shown on the person's staff page."""

    __tablename__ = "account_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    before: Mapped[str] = mapped_column(String(254), default="")
    after: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


CLAIM_OUTCOMES = ("joined", "pending", "approved", "refused")


class MembershipClaim(db.Model):
    """A person's claim to belong to a member company (会員番号 + one fact of the roster).

    `joined`: matched exactly; `pending` (a near miss) until staff `approved` or `refused` it.
    A wrong claim is not kept: it only counts toward the lock (`User.claim_failures`)."""

    __tablename__ = "membership_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[str] = mapped_column(String(16), index=True)
    fact_kind: Mapped[str] = mapped_column(String(8), default="")
    fact: Mapped[str] = mapped_column(String(32), default="")
    note: Mapped[str] = mapped_column(String(1000), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    company: Mapped[Company | None] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
