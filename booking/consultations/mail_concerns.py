"""How staff's delivery log names consultation mail (a notification hook; read-only)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import String, cast, literal, select
from sqlalchemy.orm import joinedload

from booking.consultations.models import Consultation
from booking.extensions import db
from booking.notifications.hooks import Concern
from booking.timefmt import format_when


def describe_consultations(ids: list[int]) -> dict[int, Concern]:
    """経営相談: the member, the theme and the time; a link to the booking's page."""
    rows = db.session.scalars(
        select(Consultation)
        .where(Consultation.id.in_(ids))
        .options(joinedload(Consultation.member), joinedload(Consultation.theme))
    )
    return {
        c.id: Concern(
            label=_("経営相談の予約"),
            detail=f"{c.theme.name} · {c.member.full_name} · {format_when(c.starts_at)}",
            url=url_for("consultations.detail", consultation_id=c.id),
        )
        for c in rows
    }


def branch_consultation_abouts(unit_id: int):
    """The `about` values of the mail of a branch's consultations (what its staff see)."""
    about = literal("consultation:", String) + cast(Consultation.id, String)
    return [select(about).where(Consultation.branch_id == unit_id)]
