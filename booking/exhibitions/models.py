"""Exhibitions (展示会): exhibitors, zones and booths, meeting hours, 商談, leads, entries.

Visitors register through the events machinery: an exhibition is attached to one event of
kind `exhibition`, whose frames, registrations and QR passes it reuses.
"""

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
    LargeBinary,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.accounts.models import Company, User
from booking.dbtypes import UTCDateTime
from booking.events.models import Event, Registration
from booking.extensions import db
from booking.org.models import Unit
from booking.timefmt import now_utc

# applied → accepted | waitlisted | rejected; withdrawn by the applicant.
APPLICATION_STATUSES = ("applied", "accepted", "waitlisted", "rejected", "withdrawn")
PARTICIPATION = ("in_person", "online", "both")
BOOTH_SIZES = ("small", "standard", "large")
MEETING_MODES = ("booth", "online")
MEETING_STATUSES = ("booked", "cancelled")
# How a visitor agreed to share their contact: when booking a meeting, by confirming on the
# exhibitor's booth page (its QR code), or by letting the exhibitor scan their pass.
LEAD_SOURCES = ("meeting", "booth", "scan")


class Exhibition(db.Model):
    """The exhibitor side of one exhibition event, and its rules."""

    __tablename__ = "exhibitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    applications_open_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    applications_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Acceptance limit: accepting beyond it is refused (None: no limit).
    exhibitor_limit: Mapped[int | None] = mapped_column()
    meeting_minutes: Mapped[int] = mapped_column(default=30)
    meeting_buffer_minutes: Mapped[int] = mapped_column(default=0)
    # Booking a meeting closes this long before its start.
    meeting_notice_minutes: Mapped[int] = mapped_column(default=60)
    # Door names, e.g. ["東口", "西口"]; each entry is recorded with the door it came through.
    entrances: Mapped[list] = mapped_column(JSON, default=list)
    # Width of the booth map in grid cells.
    map_columns: Mapped[int] = mapped_column(default=24)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    event: Mapped[Event] = relationship()
    zones: Mapped[list[Zone]] = relationship(
        back_populates="exhibition", order_by="Zone.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("meeting_minutes > 0", name="meeting_positive"),
        CheckConstraint(
            "exhibitor_limit IS NULL OR exhibitor_limit >= 0", name="limit_not_negative"
        ),
    )


class Zone(db.Model):
    """An area of the hall (A, B, …) with its booths."""

    __tablename__ = "exhibition_zones"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibition_id: Mapped[int] = mapped_column(
        ForeignKey("exhibitions.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(100))
    # The English name shown in English mode (`booking.localnames.localized`); empty: the name.
    name_en: Mapped[str] = mapped_column(String(100), default="", server_default="")
    position: Mapped[int] = mapped_column(default=0)

    exhibition: Mapped[Exhibition] = relationship(back_populates="zones")

    __table_args__ = (UniqueConstraint("exhibition_id", "code", name="zone_code_unique"),)


exhibitor_categories = Table(
    "exhibitor_categories",
    db.metadata,
    Column("exhibitor_id", ForeignKey("exhibitors.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class Exhibitor(db.Model):
    """A company's application to exhibit, and once accepted its public page.

    Anyone signed in with the company's account (users.company_id) acts for the exhibitor;
    mails go to the contact person.
    """

    __tablename__ = "exhibitors"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibition_id: Mapped[int] = mapped_column(
        ForeignKey("exhibitions.id", ondelete="CASCADE"), index=True
    )
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default="applied", index=True)
    participation: Mapped[str] = mapped_column(String(16), default="in_person")
    booth_size_wish: Mapped[str] = mapped_column(String(16), default="standard")
    # Booths this exhibitor may hold; staff raise it for the rare two-booth company.
    booth_limit: Mapped[int] = mapped_column(default=1)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_kana: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    review_note: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Grows with every change of status, so a notice planned for an older decision is dropped.
    sequence: Mapped[int] = mapped_column(default=0)
    # The public page (shown once accepted); the name defaults to the company's.
    display_name: Mapped[str] = mapped_column(String(200), default="")
    display_kana: Mapped[str] = mapped_column(String(200), default="")
    pr_text: Mapped[str] = mapped_column(Text, default="")
    products: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    # Online meetings offered; the URL is shown only to visitors with a booked meeting.
    online_meetings: Mapped[bool] = mapped_column(default=False)
    online_meeting_url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    exhibition: Mapped[Exhibition] = relationship()
    company: Mapped[Company] = relationship()
    applicant: Mapped[User | None] = relationship(foreign_keys=[applicant_id])
    categories: Mapped[list[Unit]] = relationship(
        secondary=exhibitor_categories, order_by=Unit.position
    )
    booths: Mapped[list[Booth]] = relationship(back_populates="exhibitor", order_by="Booth.code")
    logo: Mapped[ExhibitorLogo | None] = relationship(
        back_populates="exhibitor", uselist=False, cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("exhibition_id", "company_id", name="one_application_per_company"),
        CheckConstraint("booth_limit >= 0", name="booth_limit_not_negative"),
    )

    @property
    def name(self) -> str:
        return self.display_name or self.company.name

    @property
    def kana(self) -> str:
        return self.display_kana or self.company.name_kana

    @property
    def in_person(self) -> bool:
        return self.participation in ("in_person", "both")

    @property
    def online(self) -> bool:
        return self.participation in ("online", "both")


class Booth(db.Model):
    """A booth on the hall grid; `exhibitor_id` is set by one conditional UPDATE only."""

    __tablename__ = "exhibition_booths"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibition_id: Mapped[int] = mapped_column(
        ForeignKey("exhibitions.id", ondelete="CASCADE"), index=True
    )
    zone_id: Mapped[int] = mapped_column(ForeignKey("exhibition_zones.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(16))
    size: Mapped[str] = mapped_column(String(16), default="standard")
    # Place on the map, in grid cells.
    x: Mapped[int] = mapped_column(default=0)
    y: Mapped[int] = mapped_column(default=0)
    w: Mapped[int] = mapped_column(default=1)
    h: Mapped[int] = mapped_column(default=1)
    exhibitor_id: Mapped[int | None] = mapped_column(
        ForeignKey("exhibitors.id", ondelete="SET NULL"), index=True
    )
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    zone: Mapped[Zone] = relationship()
    exhibitor: Mapped[Exhibitor | None] = relationship(back_populates="booths")

    __table_args__ = (UniqueConstraint("exhibition_id", "code", name="booth_code_unique"),)


class ExhibitorLogo(db.Model):
    """The logo, re-encoded on upload and kept in the database (no paths, shared by workers)."""

    __tablename__ = "exhibitor_logos"

    exhibitor_id: Mapped[int] = mapped_column(
        ForeignKey("exhibitors.id", ondelete="CASCADE"), primary_key=True
    )
    content_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    digest: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    exhibitor: Mapped[Exhibitor] = relationship(back_populates="logo")


class MeetingHours(db.Model):
    """Hours an exhibitor takes meetings on one day of the fair, at the booth or online."""

    __tablename__ = "exhibitor_meeting_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibitor_id: Mapped[int] = mapped_column(
        ForeignKey("exhibitors.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    mode: Mapped[str] = mapped_column(String(8), default="booth")

    __table_args__ = (
        CheckConstraint("ends > starts", name="ends_after_start"),
        CheckConstraint("mode IN ('booth', 'online')", name="mode_known"),
    )


class Meeting(db.Model):
    """商談: a visitor's booking of an exhibitor's slot. No two `booked` rows of an exhibitor
    overlap, nor two of a visitor."""

    __tablename__ = "exhibition_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibition_id: Mapped[int] = mapped_column(
        ForeignKey("exhibitions.id", ondelete="CASCADE"), index=True
    )
    exhibitor_id: Mapped[int] = mapped_column(ForeignKey("exhibitors.id", ondelete="CASCADE"))
    visitor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    mode: Mapped[str] = mapped_column(String(8), default="booth")
    status: Mapped[str] = mapped_column(String(16), default="booked", index=True)
    topic: Mapped[str] = mapped_column(String(200), default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Grows with every change of status (iCalendar SEQUENCE, mail checks).
    sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    exhibition: Mapped[Exhibition] = relationship()
    exhibitor: Mapped[Exhibitor] = relationship()
    visitor: Mapped[User] = relationship(foreign_keys=[visitor_id])

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_exhibition_meetings_exhibitor_time", "exhibitor_id", "starts_at"),
        Index("ix_exhibition_meetings_visitor_time", "visitor_id", "starts_at"),
    )

    @property
    def active(self) -> bool:
        return self.status == "booked"


class Lead(db.Model):
    """A visitor's consent to share their contact with one exhibitor (withdrawable)."""

    __tablename__ = "exhibition_leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibitor_id: Mapped[int] = mapped_column(
        ForeignKey("exhibitors.id", ondelete="CASCADE"), index=True
    )
    visitor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(16))
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(String(500), default="")

    exhibitor: Mapped[Exhibitor] = relationship()
    visitor: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("exhibitor_id", "visitor_id", name="one_lead_per_visitor"),)


class Bookmark(db.Model):
    """A visitor's bookmark of an exhibitor (気になる出展者)."""

    __tablename__ = "exhibitor_bookmarks"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    exhibitor_id: Mapped[int] = mapped_column(
        ForeignKey("exhibitors.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class Entry(db.Model):
    """One visitor's entry on one day of the fair, through one entrance: at most one a day."""

    __tablename__ = "exhibition_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibition_id: Mapped[int] = mapped_column(ForeignKey("exhibitions.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    entrance: Mapped[str] = mapped_column(String(60))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    scanned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    registration: Mapped[Registration] = relationship()

    __table_args__ = (
        UniqueConstraint("registration_id", "day", name="one_entry_per_day"),
        Index("ix_exhibition_entries_counts", "exhibition_id", "day", "entrance"),
    )


class DirectoryVersion(db.Model):
    """A number that changes with every change to what a fair's public directory shows, so a
    worker's cached directory page (directory/pages.py) knows it is still right.

    Its own table, written only at commit (directory/versions.py): a row lock here is always
    the last one a transaction takes, so it cannot close a deadlock with the locks of
    exhibitions and exhibitors that the application and booth rules take."""

    __tablename__ = "exhibition_directory_versions"

    exhibition_id: Mapped[int] = mapped_column(
        ForeignKey("exhibitions.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(BigInteger)
