"""How staff's delivery log names exhibition mail (notification hooks; read-only)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from booking.exhibitions.models import Exhibition, Exhibitor, Meeting
from booking.exhibitions.policy import may_manage_exhibition
from booking.extensions import db
from booking.notifications.hooks import Concern


def describe_meetings(ids: list[int]) -> dict[int, Concern]:
    """商談: the exhibitor and the visitor; a link to the exhibition's staff page."""
    rows = db.session.scalars(
        select(Meeting)
        .where(Meeting.id.in_(ids))
        .options(
            joinedload(Meeting.exhibition).joinedload(Exhibition.event),
            joinedload(Meeting.exhibitor).joinedload(Exhibitor.company),
            joinedload(Meeting.visitor),
        )
    )
    return {
        m.id: Concern(
            label=_("展示会の商談の予約"),
            detail=f"{m.exhibitor.name} · {m.visitor.full_name}",
            url=url_for("staff_exhibitions.dashboard", exhibition_id=m.exhibition_id)
            if may_manage_exhibition(current_user, m.exhibition)
            else None,
        )
        for m in rows
    }


def describe_exhibitors(ids: list[int]) -> dict[int, Concern]:
    """出展申込: the exhibitor; a link to the exhibition's applications."""
    rows = db.session.scalars(
        select(Exhibitor)
        .where(Exhibitor.id.in_(ids))
        .options(
            joinedload(Exhibitor.exhibition).joinedload(Exhibition.event),
            joinedload(Exhibitor.company),
        )
    )
    return {
        x.id: Concern(
            label=_("出展申込"),
            detail=f"{x.name} · {x.exhibition.event.title}",
            url=url_for("staff_exhibitions.applications.index", exhibition_id=x.exhibition_id)
            if may_manage_exhibition(current_user, x.exhibition)
            else None,
        )
        for x in rows
    }
