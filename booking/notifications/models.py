"""The outbox: one row per planned mail, sent exactly once by any number of dispatchers.

Also the per-event reminder rules staff can edit (subject, body, offset from start or end).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from booking.dbtypes import UTCDateTime
from booking.extensions import db
from booking.timefmt import now_utc

STATUSES = ("pending", "sending", "sent", "failed", "cancelled")
ANCHORS = ("start", "end")
DIRECTIONS = ("before", "after")


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
    reply_to: Mapped[str | None] = mapped_column(String(254))
    ics: Mapped[str | None] = mapped_column(Text)
    # "REQUEST" or "CANCEL": attach a calendar invitation for `about`, built at send time.
    invite: Mapped[str | None] = mapped_column(String(8))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    # Too late after this (a reminder once its event started): dropped, never sent late.
    not_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    # Staff resends of a message already sent get a new Message-ID (…/r1, …/r2).
    resends: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Which claim holds the lease: only that claim may mark the row sent, failed or pending.
    lease_owner: Mapped[str | None] = mapped_column(String(32))
    message_id: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    __table_args__ = (db.Index("ix_outbox_messages_status_due_at", "status", "due_at"),)


class ReminderRule(db.Model):
    """One reminder of an event: when (an ISO 8601 offset before/after its start or end) and
    optionally what (subject and body written by staff, in Japanese and/or English)."""

    __tablename__ = "reminder_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    anchor: Mapped[str] = mapped_column(String(8), default="start")
    direction: Mapped[str] = mapped_column(String(8), default="before")
    duration: Mapped[str] = mapped_column(String(32))  # ISO 8601, e.g. P1D, PT2H
    active: Mapped[bool] = mapped_column(default=True)
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    subject_en: Mapped[str] = mapped_column(String(200), default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    __table_args__ = (
        db.UniqueConstraint("event_id", "anchor", "direction", "duration", name="uq_reminder_rule"),
    )

    @property
    def label(self) -> str:
        """The part of the dedupe key: `P1D` for the classic "before the start" ones."""
        if self.anchor == "start" and self.direction == "before":
            return self.duration
        sign = "+" if self.direction == "after" else "-"
        return f"{self.anchor}{sign}{self.duration}"
