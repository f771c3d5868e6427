"""How a calendar is written (`FeedOptions`) and who organises its entries (`Organiser`).

Plain values: `ics` writes with them, `settings` fills them from the app's config (both
import them from here, so neither imports the other's callers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr


@dataclass(frozen=True)
class Organiser:
    name: str
    email: str


@dataclass(frozen=True)
class FeedOptions:
    """How a whole calendar is written; `labels` are already in the reader's language."""

    host: str
    tzid: str = "Asia/Tokyo"
    name: str = ""
    description: str = ""
    refresh: timedelta = timedelta(hours=1)
    alarm_before: timedelta | None = None  # None: no VALARM
    classification: str = "PUBLIC"  # PRIVATE in personal feeds: hidden when a calendar is shared
    join_label: str = "参加URL"
    pass_label: str = "受付票"
    page_label: str = "詳細"
    cancelled_label: str = "キャンセル"
    label_format: str = "【{label}】{summary}"


def organiser_from(name: str, mail_from: str) -> Organiser:
    """The chamber as ORGANIZER, from the organisation name and the MAIL_FROM address."""
    _, address = parseaddr(mail_from)
    return Organiser(name=name, email=address or "noreply@invalid")
