"""Consultation catalogue: themes and channels."""

from __future__ import annotations

from sqlalchemy import select

from booking.consultations.models import Channel, Theme
from booking.extensions import db


def load_catalogue(data: dict) -> dict[str, int]:
    """Create or update themes and channels from chamber.json by slug (idempotent)."""
    for model, rows in (
        (Theme, data["consultation_themes"]),
        (Channel, data["consultation_channels"]),
    ):
        for i, row in enumerate(rows):
            obj = db.session.scalar(select(model).where(model.slug == row["slug"]))
            if obj is None:
                obj = model(slug=row["slug"])
                db.session.add(obj)
            obj.name, obj.position = row["name"], i
            if model is Theme:
                obj.about = row.get("about", "")
    db.session.flush()
    return {
        "themes": len(data["consultation_themes"]),
        "channels": len(data["consultation_channels"]),
    }


def themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).order_by(Theme.position)))
