"""The consultation catalogue: themes, channels, and which advisors and branches cover them."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from booking.accounts.models import User
from booking.consultations.covering import advisors_covering
from booking.consultations.models import Advisor, Channel, ConsultationDay, Theme
from booking.consultations.offers import gaps_for
from booking.errors import NotFound
from booking.extensions import db
from booking.localnames import localized as local_name  # noqa: F401 - pages and mails ask here


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
            if row.get("name_en") is not None:
                obj.name_en = row["name_en"][:100]
            if model is Theme:
                obj.about = row.get("about", "")
                if row.get("intake_hint"):
                    obj.intake_hint = row["intake_hint"][:300]
                if row.get("intake_hint_en"):
                    obj.intake_hint_en = row["intake_hint_en"][:300]
    db.session.flush()
    return {
        "themes": len(data["consultation_themes"]),
        "channels": len(data["consultation_channels"]),
    }


def local_about(theme: Theme) -> str:
    if str(get_locale() or "ja") == "en" and theme.about_en:
        return theme.about_en
    return theme.about


def local_intake_hint(theme: Theme) -> str:
    """The theme's own example for the intake's summary field in the page's language; empty:
    the page shows its generic one. English mode never falls back to the Japanese example
    (unlike a name or `about`): the generic example has English words."""
    if str(get_locale() or "ja") == "en":
        return theme.intake_hint_en
    return theme.intake_hint


def themes(include_inactive: bool = False) -> list[Theme]:
    """The themes members may book (staff pages: every theme with `include_inactive`)."""
    query = select(Theme).order_by(Theme.position, Theme.id)
    if not include_inactive:
        query = query.where(Theme.active.is_(True))
    return list(db.session.scalars(query))


def channels(include_inactive: bool = False) -> list[Channel]:
    query = select(Channel).order_by(Channel.position, Channel.id)
    if not include_inactive:
        query = query.where(Channel.active.is_(True))
    return list(db.session.scalars(query))


def advisors_for(theme: Theme, channel_slug: str | None = None, branch_id: int | None = None):
    """Active advisors covering a theme (and offering the channel, at the branch when given)."""
    return advisors_covering(theme, None, branch_id, channel_slug)


def branches_for(theme: Theme, channel_slug: str) -> list:
    """Branches offering the theme over the channel where some advisor covers it."""
    seen = {}
    for advisor in advisors_for(theme, channel_slug):
        for unit in advisor.branches:
            seen[unit.id] = unit
    if channel_slug == "branch":
        days = db.session.scalars(
            select(ConsultationDay).where(
                ConsultationDay.published.is_(True),
                (ConsultationDay.theme_id.is_(None)) | (ConsultationDay.theme_id == theme.id),
            )
        )
        for day in days:
            seen[day.branch.id] = day.branch
    gaps = gaps_for(theme.id)
    offered = [u for u in seen.values() if gaps.offers(u.id, channel_slug)]
    return sorted(offered, key=lambda u: u.position)


def theme_by_slug(slug: str | None) -> Theme:
    """:raises NotFound: no such theme."""
    theme = db.session.scalar(select(Theme).where(Theme.slug == (slug or "")))
    if theme is None:
        raise NotFound(_l("そのご相談テーマはありません。"), field="theme", code="unknown_theme")
    return theme


def channel_by_slug(slug: str | None) -> Channel:
    """:raises NotFound: no such channel."""
    channel = db.session.scalar(select(Channel).where(Channel.slug == (slug or "")))
    if channel is None:
        raise NotFound(_l("その相談方法はありません。"), field="channel", code="unknown_channel")
    return channel


def advisor_for_user(user: User) -> Advisor | None:
    return db.session.scalar(select(Advisor).where(Advisor.user_id == user.id))
