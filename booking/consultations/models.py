"""Consultation themes and channels (the catalogue members choose from)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from booking.extensions import db


class Theme(db.Model):
    __tablename__ = "consultation_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    about: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(default=0)


class Channel(db.Model):
    __tablename__ = "consultation_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
