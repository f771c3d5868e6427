"""Staff edit the consultation catalogue: themes with their booking rules, and channels.

Themes and channels are never deleted (bookings and records refer to them): staff deactivate
them, and an inactive one takes no new bookings while the bookings made keep working.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from booking.accounts.models import User
from booking.consultations.models import Advisor, Channel, Theme
from booking.errors import Invalid
from booking.extensions import db
from booking.org.models import Unit

# (attribute, smallest, largest) of each booking rule a theme carries.
RULE_BOUNDS = {
    "slot_minutes": (10, 480),
    "buffer_minutes": (0, 240),
    "min_notice_hours": (0, 24 * 30),
    "horizon_days": (1, 366),
    "cancel_cutoff_hours": (0, 24 * 30),
}
MAX_QUESTIONS, QUESTION_LENGTH = 10, 200


@dataclass
class ThemeDetails:
    name: str
    name_en: str = ""
    about: str = ""
    about_en: str = ""
    intake_hint: str = ""
    intake_hint_en: str = ""
    slot_minutes: int = 60
    buffer_minutes: int = 0
    min_notice_hours: int = 24
    horizon_days: int = 56
    cancel_cutoff_hours: int = 24
    questions: list[str] = field(default_factory=list)
    routing: list[dict] = field(default_factory=list)


def questions_from_text(text: str) -> list[str]:
    """One intake question a line; blank lines dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _check_rules(details: ThemeDetails) -> None:
    """:raises Invalid: a rule out of its range, too many or too long questions."""
    for name, (low, high) in RULE_BOUNDS.items():
        value = getattr(details, name)
        if value is None or not low <= value <= high:
            raise Invalid(
                _l("%(low)dから%(high)dまでの数で入力してください。", low=low, high=high),
                field=name,
            )
    if len(details.questions) > MAX_QUESTIONS:
        raise Invalid(_l("質問は%(n)d件までにしてください。", n=MAX_QUESTIONS), field="questions")
    if any(len(q) > QUESTION_LENGTH for q in details.questions):
        raise Invalid(
            _l("質問は1件%(n)d文字以内にしてください。", n=QUESTION_LENGTH), field="questions"
        )


def _slug_for(model, name_en: str) -> str:
    """A URL name from the English name (`theme-7` when it has no letters), unique."""
    base = (
        re.sub(r"[^a-z0-9]+", "-", (name_en or "").lower()).strip("-")[:24]
        or model.__name__.lower()
    )
    slug, n = base, 1
    while db.session.scalar(select(model.id).where(model.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_name_free(model, name: str, own_id: int | None) -> None:
    """:raises Invalid: another theme (or channel) already has this name."""
    other = db.session.scalar(select(model.id).where(model.name == name, model.id != (own_id or 0)))
    if other is not None:
        raise Invalid(_l("同じ名前のものが既にあります。"), field="name")


def save_theme(theme: Theme | None, details: ThemeDetails) -> Theme:
    """Create a theme (`theme` None) or change one; existing bookings keep their times.

    :raises Invalid: a rule out of range, a name already used.
    """
    details.name = details.name.strip()
    _check_rules(details)
    _check_name_free(Theme, details.name, theme.id if theme else None)
    if theme is None:
        position = db.session.scalar(select(func.coalesce(func.max(Theme.position), 0))) + 1
        theme = Theme(slug=_slug_for(Theme, details.name_en), position=position, active=True)
        db.session.add(theme)
    theme.name, theme.name_en = details.name, details.name_en.strip()
    theme.about, theme.about_en = details.about.strip(), details.about_en.strip()
    theme.intake_hint = details.intake_hint.strip()
    theme.intake_hint_en = details.intake_hint_en.strip()
    for name in RULE_BOUNDS:
        setattr(theme, name, getattr(details, name))
    theme.questions = list(details.questions)
    _check_routing_names(details.routing)
    theme.routing = list(details.routing)
    db.session.flush()
    return theme


def _check_routing_names(routing: list[dict]) -> None:
    """:raises Invalid: a routing choice names a theme, channel, branch or advisor that does
    not exist (a typo would silently suggest nothing)."""
    lookups = {
        "theme": lambda v: select(Theme.id).where(Theme.slug == v),
        "channel": lambda v: select(Channel.id).where(Channel.slug == v),
        "branch": lambda v: select(Unit.id).where(Unit.kind == "branch", Unit.slug == v),
        "advisor": lambda v: select(Advisor.id).join(User).where(User.email == v),
    }
    for question in routing:
        for choice in question["choices"]:
            for key, lookup in lookups.items():
                if choice.get(key) and db.session.scalar(lookup(choice[key])) is None:
                    raise Invalid(
                        _l(
                            "おすすめの「%(key)s=%(value)s」が見つかりません。URLの名前またはメールアドレスを確かめてください。",
                            value=choice[key],
                            key=key,
                        ),
                        field="routing",
                    )


def save_channel(channel: Channel | None, name: str, name_en: str = "") -> Channel:
    """Create a channel (`channel` None) or rename one. :raises Invalid: a name already used."""
    name = name.strip()
    _check_name_free(Channel, name, channel.id if channel else None)
    if channel is None:
        position = db.session.scalar(select(func.coalesce(func.max(Channel.position), 0))) + 1
        channel = Channel(slug=_slug_for(Channel, name_en), position=position, active=True)
        db.session.add(channel)
    channel.name, channel.name_en = name, name_en.strip()
    db.session.flush()
    return channel


def set_active(item: Theme | Channel, active: bool) -> None:
    """Deactivate (no new bookings; the bookings made stay) or reactivate a theme or channel."""
    item.active = active
    db.session.flush()
