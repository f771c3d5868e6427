"""Feed tokens: one per person and purpose, stored as a hash plus the seed it derives from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.accounts.models import User
from booking.dbtypes import UTCDateTime
from booking.extensions import db
from booking.timefmt import now_utc

PURPOSES = ("private", "advisor")


class FeedToken(db.Model):
    """The secret of a feed URL.

    The URL token is HMAC(SECRET_KEY, seed): the database alone (a backup, a replica, a
    leaked dump) holds neither the token nor enough to make it, yet the owner's page can show
    the same URL again. Requests find the row by `token_hash`; regenerating replaces seed and
    hash in place, so the old URL answers 404 from the next request on.
    """

    __tablename__ = "calendar_feed_tokens"
    __table_args__ = (UniqueConstraint("user_id", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16), default="private")
    seed: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    regenerated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
