"""The outbox: one row per planned mail, sent exactly once by any number of dispatchers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from booking.dbtypes import UTCDateTime
from booking.extensions import db
from booking.timefmt import now_utc

STATUSES = ("pending", "sending", "sent", "failed", "cancelled")


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(8), default="ja")
    template: Mapped[str] = mapped_column(String(100))
    context: Mapped[dict] = mapped_column(JSON, default=dict)
    # What the message is about (e.g. "registration:42") and the version it was planned for,
    # so the dispatcher can drop it when that thing changed or went away.
    about: Mapped[str] = mapped_column(String(100), default="", index=True)
    about_version: Mapped[int | None] = mapped_column()
    transactional: Mapped[bool] = mapped_column(default=True)
    ics: Mapped[str | None] = mapped_column(Text)
    # "REQUEST" or "CANCEL": attach a calendar invitation for `about`, built at send time.
    invite: Mapped[str | None] = mapped_column(String(8))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    __table_args__ = (db.Index("ix_outbox_messages_status_due_at", "status", "due_at"),)
