"""Certificates of attendance (受講証明書) and an event's materials (資料)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.accounts.models import User
from booking.dbtypes import UTCDateTime
from booking.events.models import Event, Registration
from booking.extensions import db
from booking.timefmt import now_utc


class CertificateOffer(db.Model):
    """The event offers certificates of attendance (a row per such event; none: it does not)."""

    __tablename__ = "certificate_offers"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    offered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    event: Mapped[Event] = relationship()


class Certificate(db.Model):
    """One issued certificate: at most one per registration, so issuing again gives it back.

    The holder's name, furigana and company are kept as printed at the first issue: the
    verification page must show what the paper says, even after the profile changes.
    """

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    # 証明書番号, printed: the year of the event and a serial (`2026-000042`).
    number: Mapped[str] = mapped_column(String(20), unique=True)
    # The verification URL's secret part: unguessable, so nobody can list certificates.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    holder_name: Mapped[str] = mapped_column(String(130))
    holder_kana: Mapped[str] = mapped_column(String(130), default="")
    holder_name_en: Mapped[str] = mapped_column(String(130), default="")
    company_name: Mapped[str] = mapped_column(String(200), default="")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    registration: Mapped[Registration] = relationship()


class Material(db.Model):
    """A file staff uploaded for an event's attendees; shown to them once published."""

    __tablename__ = "event_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    # The name people download it under (made safe); the file on disk has a random name.
    filename: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    uploaded_by: Mapped[User | None] = relationship()

    __table_args__ = (Index("ix_event_materials_event_id", "event_id"),)
