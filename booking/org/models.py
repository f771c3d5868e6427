"""Organising units. One table for every kind, so events and staff refer to `unit_id` alone."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from booking.extensions import db

UNIT_KINDS = ("hq", "branch", "section", "committee", "group")


class Unit(db.Model):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("kind", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    # The English name shown in English mode (`booking.localnames.localized`); empty: the name.
    name_en: Mapped[str] = mapped_column(String(120), default="", server_default="")
    ward: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    # Whom people call or write to about this unit's events (named when a request is refused).
    contact_phone: Mapped[str] = mapped_column(String(32), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="", server_default="")

    @property
    def key(self) -> str:
        """The API spelling: `hq`, `branch:chiyoda`, `section:ict`, …"""
        return "hq" if self.kind == "hq" else f"{self.kind}:{self.slug}"

    def __repr__(self) -> str:
        return f"<Unit {self.key}>"
