"""Company administrators (会社の担当者) and invitations to join a member company."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.accounts.models import Company, User
from booking.dbtypes import UTCDateTime
from booking.extensions import db
from booking.timefmt import now_utc


class CompanyAdmin(db.Model):
    """One person who looks after their company's bookings (appointed by staff, or by
    another administrator of the same company)."""

    __tablename__ = "company_admins"

    # A person belongs to one company, so one row per person at most.
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    appointed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    company: Mapped[Company] = relationship()


class CompanyInvitation(db.Model):
    """A one-time link mailed to a colleague: whoever opens it joins the company."""

    __tablename__ = "company_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    family_name: Mapped[str] = mapped_column(String(60), default="")
    given_name: Mapped[str] = mapped_column(String(60), default="")
    family_kana: Mapped[str] = mapped_column(String(60), default="")
    given_kana: Mapped[str] = mapped_column(String(60), default="")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    company: Mapped[Company] = relationship()
    invited_by: Mapped[User | None] = relationship()
