"""Events and participation frames (参加枠)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.dbtypes import UTCDateTime
from booking.extensions import db
from booking.org.models import Unit
from booking.timefmt import now_utc

KINDS = ("seminar", "exchange", "exhibition", "other")
FORMATS = ("in_person", "online", "hybrid")
STATUSES = ("draft", "published", "cancelled")
MODES = ("in_person", "online")
AUDIENCES = ("members", "guests", "all")


class Event(db.Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    format: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(400), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    speakers: Mapped[str] = mapped_column(String(400), default="")
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    venue_access: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    member_only: Mapped[bool] = mapped_column(default=False)
    # Grows with every change of time, place or status (iCalendar SEQUENCE, reminder checks).
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    unit: Mapped[Unit] = relationship()
    frames: Mapped[list[Frame]] = relationship(
        back_populates="event", order_by="Frame.position", cascade="all, delete-orphan"
    )

    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)


class Frame(db.Model):
    __tablename__ = "frames"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(100))
    mode: Mapped[str] = mapped_column(String(16), default="in_person")
    audience: Mapped[str] = mapped_column(String(16), default="all")
    capacity: Mapped[int] = mapped_column()
    # Confirmed seats; changed only by a conditional UPDATE so it can never pass capacity.
    taken: Mapped[int] = mapped_column(default=0)
    price_label: Mapped[str] = mapped_column(String(100), default="")
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    per_company_limit: Mapped[int | None] = mapped_column()
    lottery: Mapped[bool] = mapped_column(default=False)
    waitlist: Mapped[bool] = mapped_column(default=True)

    event: Mapped[Event] = relationship(back_populates="frames")

    __table_args__ = (
        CheckConstraint("taken >= 0 AND taken <= capacity", name="taken_within_capacity"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
    )

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.taken, 0)
