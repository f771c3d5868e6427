"""Events, participation frames (参加枠), sessions of a series, questions and registrations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from booking.accounts.models import Company, User
from booking.dbtypes import UTCDateTime
from booking.extensions import db
from booking.org.models import Unit
from booking.timefmt import now_utc

KINDS = ("seminar", "exchange", "exhibition", "other")
FORMATS = ("in_person", "online", "hybrid")
STATUSES = ("draft", "published", "cancelled")
MODES = ("in_person", "online")
AUDIENCES = ("members", "guests", "all")
QUESTION_KINDS = ("text", "choice", "checkbox")
# applied: a lottery application waiting for the draw.
REGISTRATION_STATUSES = ("confirmed", "waitlisted", "applied", "cancelled")
ACTIVE_STATUSES = ("confirmed", "waitlisted", "applied")

# Sections and interests an event is about (matched against a company's interests).
event_tags = Table(
    "event_tags",
    db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


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
    # How and when a priced event's fee is paid (shown on the event, confirm and
    # registration pages and in the confirmation mail); empty: `payment.payment_note` says
    # the organiser will tell.
    payment_note: Mapped[str] = mapped_column(String(500), default="", server_default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    member_only: Mapped[bool] = mapped_column(default=False)
    # Cancelling after this is refused for members (staff are exempt); None: until the start.
    cancel_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # In-person attendees confirm a health attestation (checked at the door).
    attestation: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Active registrations one company may hold across all the event's frames (None: no limit).
    per_company_limit: Mapped[int | None] = mapped_column()
    # Grows with every change of time, place or status (iCalendar SEQUENCE, reminder checks).
    sequence: Mapped[int] = mapped_column(default=0)
    # Grows with every staff save (the edit forms carry it: a stale save is refused, not lost).
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # What registering reads of the event changed (its row, questions, sessions, survey
    # questions, reminder rules; each frame has its own): set by database triggers
    # (`cache_version`), never by code; a worker's copy of the event (`event_cache`) is keyed
    # by it and its frames'.
    cache_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    unit: Mapped[Unit] = relationship()
    frames: Mapped[list[Frame]] = relationship(
        back_populates="event", order_by="Frame.position", cascade="all, delete-orphan"
    )
    sessions: Mapped[list[EventSession]] = relationship(
        back_populates="event", order_by="EventSession.starts_at", cascade="all, delete-orphan"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="event", order_by="Question.position", cascade="all, delete-orphan"
    )
    tags: Mapped[list[Unit]] = relationship(secondary=event_tags)
    # Read in the statement that loads the event for a registration (`REGISTERING`), so its
    # mail reads nothing more; None when the event was loaded without them (then asked).
    has_survey: Mapped[bool | None] = query_expression()
    has_reminder_rules: Mapped[bool | None] = query_expression()

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        # The list page: published events in start order, read a page at a time.
        Index("ix_events_status_starts_at", "status", "starts_at"),
    )

    @property
    def is_series(self) -> bool:
        return len(self.sessions) > 1


class EventSession(db.Model):
    """One meeting of a series (連続講座); a registration for the event covers them all."""

    __tablename__ = "event_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship(back_populates="sessions")

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
    # The draw, recorded so that anyone can re-run it and get the same result.
    lottery_seed: Mapped[str | None] = mapped_column(String(64))
    lottery_drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lottery_drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The stated weighting of the draw ("" none, "weighted": first-time companies first, past
    # no-shows last), recorded with the seed so that the replay gives the same order.
    lottery_weighting: Mapped[str] = mapped_column(String(16), default="", server_default="")
    # Closed by staff: takes no more registrations (a frame with registrations is never deleted).
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The frame changed (written, or any column but `taken`): set by a database trigger
    # (`cache_version`), never by code; part of the key of a worker's copy of its event.
    cache_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    event: Mapped[Event] = relationship(back_populates="frames")

    __table_args__ = (
        CheckConstraint("taken >= 0 AND taken <= capacity", name="taken_within_capacity"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
    )

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.taken, 0)


class Question(db.Model):
    """A custom question on an event's registration form."""

    __tablename__ = "event_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="text")
    choices: Mapped[list] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)

    event: Mapped[Event] = relationship(back_populates="questions")

    @property
    def key(self) -> str:
        return f"q{self.id}"


class Registration(db.Model):
    """One person's registration for an event, in one frame."""

    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # 受付番号: shown to people and staff, printed on passes and in mails.
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    frame_id: Mapped[int] = mapped_column(ForeignKey("frames.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    # Equals user_id while active and is NULL once cancelled: the unique constraint below is
    # then "one active registration per person per event" on every database.
    active_user_id: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    attestation: Mapped[bool] = mapped_column(default=False)
    # Reasonable accommodation (合理的配慮) asked for: codes of `accommodation.KINDS` and the
    # person's own words. Shown to the event's staff only (door, attendee list and CSV).
    accommodations: Mapped[list] = mapped_column(JSON, default=list)
    accommodation_note: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # Waitlist order: the draw order after a lottery, else 0 (then first come, first served).
    queue_rank: Mapped[int] = mapped_column(default=0)
    # The QR pass: short, opaque and unguessable.
    pass_token: Mapped[str] = mapped_column(String(32), unique=True)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    late_cancel: Mapped[bool] = mapped_column(default=False)
    # Grows with every change of time, place or status (iCalendar SEQUENCE, reminder checks).
    sequence: Mapped[int] = mapped_column(default=0)
    # Who made the registration when not the person themself: a company administrator
    # (proxy registration, a seat handed over). NULL: the person registered.
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    event: Mapped[Event] = relationship()
    frame: Mapped[Frame] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])
    company: Mapped[Company | None] = relationship()

    # Not a column: the waitlist position its mail named, on a registration just written
    # (`registrations._written`), so the answer does not count it again.
    position_when_written = None

    __table_args__ = (
        UniqueConstraint("event_id", "active_user_id", name="one_active_per_person"),
        Index("ix_registrations_frame_status", "frame_id", "status"),
        Index("ix_registrations_event_status", "event_id", "status"),
    )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


# What a staff action did to bookings (the staff audit log, 操作履歴).
AUDIT_ACTIONS = ("capacity", "promote", "move", "check_in", "undo_check_in", "cancel", "lottery",
                 "deadline", "event_cancel", "event_online", "event_change", "sessions")  # fmt: skip


class StaffAction(db.Model):
    """One staff action that changed bookings of an event: who, when, what, why, before/after."""

    __tablename__ = "event_staff_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL")
    )
    # The person whose booking changed (kept when the registration goes), for their own page.
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(500), default="")
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    after: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    event: Mapped[Event] = relationship()
    registration: Mapped[Registration | None] = relationship()
    subject: Mapped[User | None] = relationship(foreign_keys=[subject_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])

    __table_args__ = (
        Index("ix_event_staff_actions_event_at", "event_id", "at"),
        Index("ix_event_staff_actions_subject_at", "subject_id", "at"),
    )
