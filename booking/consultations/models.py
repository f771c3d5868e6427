"""Consultations (経営相談): the catalogue, advisors, their availability and the bookings."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    Time,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.accounts.models import User
from booking.dbtypes import UTCDateTime
from booking.extensions import db
from booking.org.models import Unit
from booking.timefmt import now_utc

STATUSES = ("booked", "cancelled")
ATTENDANCE = ("attended", "no_show")


class Theme(db.Model):
    """A consultation theme and its booking rules (slot length, buffer, notice, horizon, cut-off)."""

    __tablename__ = "consultation_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # The English name shown in English mode (`booking.localnames.localized`); empty: the name.
    name_en: Mapped[str] = mapped_column(String(100), default="", server_default="")
    about: Mapped[str] = mapped_column(String(300), default="")
    about_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    position: Mapped[int] = mapped_column(default=0)
    # A theme is never deleted (bookings refer to it): an inactive one takes no new bookings.
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    slot_minutes: Mapped[int] = mapped_column(default=60)
    buffer_minutes: Mapped[int] = mapped_column(default=0)
    min_notice_hours: Mapped[int] = mapped_column(default=24)
    horizon_days: Mapped[int] = mapped_column(default=56)
    cancel_cutoff_hours: Mapped[int] = mapped_column(default=24)
    # The theme's own intake questions (a list of strings), asked after the common ones.
    questions: Mapped[list] = mapped_column(JSON, default=list)
    # The theme's own example under the intake's summary field (empty: the generic one), and
    # the English one English mode shows (`catalogue.local_intake_hint`).
    intake_hint: Mapped[str] = mapped_column(String(300), default="", server_default="")
    intake_hint_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # The short questionnaire asked before the slot choice, each choice with what it suggests
    # (`booking.consultations.routing`); empty: the theme goes straight to the slot choice.
    routing: Mapped[list] = mapped_column(JSON, default=list)

    __table_args__ = (CheckConstraint("slot_minutes > 0", name="slot_positive"),)


class Channel(db.Model):
    """How a consultation happens: at the counter (`branch`), `online`, by `phone`, …"""

    __tablename__ = "consultation_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # The English name shown in English mode (`booking.localnames.localized`); empty: the name.
    name_en: Mapped[str] = mapped_column(String(100), default="", server_default="")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


# Which branches offer what: every branch offers every active theme and channel unless a
# row here withdraws it (so a new theme or branch needs no set-up to be offered).
branch_withdrawn_themes = Table(
    "branch_withdrawn_themes",
    db.metadata,
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("consultation_themes.id", ondelete="CASCADE"), primary_key=True),
)
branch_withdrawn_channels = Table(
    "branch_withdrawn_channels",
    db.metadata,
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "channel_id", ForeignKey("consultation_channels.id", ondelete="CASCADE"), primary_key=True
    ),
)


advisor_branches = Table(
    "advisor_branches",
    db.metadata,
    Column("advisor_id", ForeignKey("advisors.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)
advisor_themes = Table(
    "advisor_themes",
    db.metadata,
    Column("advisor_id", ForeignKey("advisors.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("consultation_themes.id", ondelete="CASCADE"), primary_key=True),
)
advisor_channels = Table(
    "advisor_channels",
    db.metadata,
    Column("advisor_id", ForeignKey("advisors.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "channel_id", ForeignKey("consultation_channels.id", ondelete="CASCADE"), primary_key=True
    ),
)
consultation_day_advisors = Table(
    "consultation_day_advisors",
    db.metadata,
    Column("day_id", ForeignKey("consultation_days.id", ondelete="CASCADE"), primary_key=True),
    Column("advisor_id", ForeignKey("advisors.id", ondelete="CASCADE"), primary_key=True),
)


class Advisor(db.Model):
    """An advisor's profile: the account (role advisor), branches, specialties, channels."""

    __tablename__ = "advisors"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(100), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    video_url: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    # Changes (to a random value, never reused) whenever anything of this advisor that the
    # free slots depend on changes: set by database triggers (`slot_versions`), never by code.
    slots_version: Mapped[int] = mapped_column(BigInteger, server_default="0")

    user: Mapped[User] = relationship()
    branches: Mapped[list[Unit]] = relationship(secondary=advisor_branches, order_by=Unit.position)
    themes: Mapped[list[Theme]] = relationship(secondary=advisor_themes, order_by=Theme.position)
    channels: Mapped[list[Channel]] = relationship(
        secondary=advisor_channels, order_by=Channel.position
    )

    @property
    def name(self) -> str:
        return self.user.full_name or self.user.email


# The free slots' version of what all advisors share (channels, branches, consultation days,
# withdrawals): one row, scope 'catalogue', set by the same triggers.
slot_versions = Table(
    "slot_versions",
    db.metadata,
    Column("scope", String(32), primary_key=True),
    Column("version", BigInteger, nullable=False),
)


class WeeklyAvailability(db.Model):
    """One interval of an advisor's weekly schedule, in local time (several per day allowed).

    `channel_id` None: every channel the advisor offers; `branch_id` None: their first branch.
    """

    __tablename__ = "advisor_weekly_availability"

    id: Mapped[int] = mapped_column(primary_key=True)
    advisor_id: Mapped[int] = mapped_column(
        ForeignKey("advisors.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column()  # Monday 0 … Sunday 6
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("consultation_channels.id"))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint("ends > starts", name="ends_after_start"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
    )


class AvailabilityException(db.Model):
    """A dated exception: `off` (a day or part of it off) or `extra` (hours added)."""

    __tablename__ = "advisor_availability_exceptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    advisor_id: Mapped[int] = mapped_column(
        ForeignKey("advisors.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(8))  # off | extra
    # None on an `off` exception: the whole day.
    starts: Mapped[time | None] = mapped_column(Time)
    ends: Mapped[time | None] = mapped_column(Time)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("consultation_channels.id"))
    note: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (CheckConstraint("kind IN ('off', 'extra')", name="kind_known"),)


class ConsultationDay(db.Model):
    """出張相談会: a day of slots at one location, staffed by several advisors (at the counter)."""

    __tablename__ = "consultation_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    day: Mapped[date] = mapped_column(Date, index=True)
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    branch_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("consultation_themes.id"))
    published: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    branch: Mapped[Unit] = relationship()
    theme: Mapped[Theme | None] = relationship()
    advisors: Mapped[list[Advisor]] = relationship(secondary=consultation_day_advisors)

    __table_args__ = (CheckConstraint("ends > starts", name="ends_after_start"),)


class Consultation(db.Model):
    """A booking of one advisor for one slot. No two `booked` rows of an advisor overlap."""

    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    advisor_id: Mapped[int] = mapped_column(ForeignKey("advisors.id"))
    theme_id: Mapped[int] = mapped_column(ForeignKey("consultation_themes.id"))
    channel_id: Mapped[int] = mapped_column(ForeignKey("consultation_channels.id"))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    consultation_day_id: Mapped[int | None] = mapped_column(ForeignKey("consultation_days.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="booked", index=True)
    topic: Mapped[str] = mapped_column(String(200), default="")
    situation: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    # Reasonable accommodation (合理的配慮): as on event registrations, for the advisor only.
    accommodations: Mapped[list] = mapped_column(JSON, default=list)
    accommodation_note: Mapped[str] = mapped_column(String(500), default="", server_default="")
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    follow_up_of_id: Mapped[int | None] = mapped_column(ForeignKey("consultations.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    late_cancellation: Mapped[bool] = mapped_column(default=False)
    # Grows with every change of time, place or status (iCalendar SEQUENCE, mail checks).
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    member: Mapped[User] = relationship(foreign_keys=[member_id])
    advisor: Mapped[Advisor] = relationship()
    theme: Mapped[Theme] = relationship()
    channel: Mapped[Channel] = relationship()
    branch: Mapped[Unit | None] = relationship()
    consultation_day: Mapped[ConsultationDay | None] = relationship()
    record: Mapped[ConsultationRecord | None] = relationship(
        back_populates="consultation", uselist=False
    )

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_consultations_advisor_time", "advisor_id", "starts_at", "ends_at"),
    )

    @property
    def active(self) -> bool:
        return self.status == "booked"

    @property
    def is_online(self) -> bool:
        return self.channel.slug == "online"


class ConsultationRecord(db.Model):
    """相談記録: written by the advisor after the session; never shown to members."""

    __tablename__ = "consultation_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), unique=True
    )
    attendance: Mapped[str] = mapped_column(String(16), default="attended")
    outcome: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    consultation: Mapped[Consultation] = relationship(back_populates="record")


CASE_STATUSES = ("open", "referred", "closed")
# What the support achieved, for the yearly business report ("": not yet said).
CASE_OUTCOMES = ("", "resolved", "partly", "unresolved")

# A consultation belongs to at most one support case.
support_case_consultations = Table(
    "support_case_consultations",
    db.metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "case_id", ForeignKey("support_cases.id", ondelete="CASCADE"), nullable=False, index=True
    ),
)


class SupportCase(db.Model):
    """伴走支援: the consultations of one company (or one person without a company) on one
    theme, followed to an outcome. Advisors and branch staff only, never members."""

    __tablename__ = "support_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    theme_id: Mapped[int] = mapped_column(ForeignKey("consultation_themes.id"))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    outcome: Mapped[str] = mapped_column(String(16), default="")
    # Staff notes: shown on the case page only (members never see a case).
    note: Mapped[str] = mapped_column(Text, default="")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    member: Mapped[User] = relationship(foreign_keys=[member_id])
    theme: Mapped[Theme] = relationship()
    branch: Mapped[Unit | None] = relationship()
    consultations: Mapped[list[Consultation]] = relationship(
        secondary=support_case_consultations, order_by=Consultation.starts_at
    )

    __table_args__ = (
        CheckConstraint("status IN ('open', 'referred', 'closed')", name="status_known"),
        CheckConstraint(
            "outcome IN ('', 'resolved', 'partly', 'unresolved')", name="outcome_known"
        ),
    )
