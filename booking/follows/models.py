"""Follows (フォロー) of organising units, and each person's weekly digest state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.accounts.models import User
from booking.dbtypes import UTCDateTime
from booking.extensions import db
from booking.org.models import Unit
from booking.timefmt import now_utc


class Follow(db.Model):
    """A person follows a unit: a branch, a section, or a group or section events are tagged
    with (an event's tags are units too), so one row shape covers "branch, section or tag"."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("user_id", "unit_id", name="one_follow_per_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    unit: Mapped[Unit] = relationship()


class DigestState(db.Model):
    """One row per person who ever followed something: which week's digest was done (the
    claim that makes it once a week whatever the number of schedulers), which events were
    already announced (so a digest holds only new ones), and whether they opted out."""

    __tablename__ = "follow_digests"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # ISO week in the chamber's time zone, e.g. "2026-W23"; "" before the first digest.
    week: Mapped[str] = mapped_column(String(10), default="", server_default="")
    # Ids of upcoming events already announced to this person (ended ones are pruned).
    announced: Mapped[list] = mapped_column(JSON, default=list)
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    user: Mapped[User] = relationship()
