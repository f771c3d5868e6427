"""Staff's delivery log, as staff read it: who, what (the subject), in which state, when,
and the booking it concerns — never template names or dedupe keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import TemplateError

from booking.notifications.hooks import Concern, describe_abouts
from booking.notifications.models import OutboxMessage
from booking.notifications.offsets import label_words

# The status filter of the page: what staff look for (a retry is a pending row that failed).
FILTERS = ("pending", "retrying", "sending", "sent", "failed", "cancelled")


def status_words(status: str) -> str:
    """送信待ち, 失敗・再試行, 送信済み, … (`retrying`: pending again after a failed try)."""
    return {
        "pending": _("送信待ち"),
        "retrying": _("失敗・再試行"),
        "sending": _("送信中"),
        "sent": _("送信済み"),
        "failed": _("送信失敗"),
        "cancelled": _("取りやめ"),
    }.get(status, status)


def shown_status(msg: OutboxMessage) -> str:
    """The row's state for staff: a pending row that already failed once is `retrying`."""
    return "retrying" if msg.status == "pending" and msg.attempts else msg.status


@dataclass
class LogLine:
    msg: OutboxMessage
    status: str
    subject: str
    concern: Concern | None
    reminder: str  # "1日前のリマインダー" or ""

    @property
    def when(self) -> datetime:
        """Sent at, or due at (planned)."""
        return self.msg.sent_at or self.msg.due_at


def subject_of(msg: OutboxMessage) -> str:
    """The subject the recipient sees (or saw), rendered in their language."""
    ctx = dict(msg.context or {}, recipient=msg.recipient)
    try:
        with force_locale(msg.locale or "ja"):
            text = render_template(f"emails/{msg.template}.subject.txt", **ctx)
    except (TemplateError, LookupError, TypeError, ValueError):
        return _("（件名を表示できません）")
    return " ".join(text.split())


def log_lines(messages: list[OutboxMessage]) -> list[LogLine]:
    """The rows of the page; the bookings they concern are looked up in one call per kind."""
    concerns = describe_abouts(m.about for m in messages if m.about)
    lines = []
    for m in messages:
        offset = (m.context or {}).get("offset") if m.dedupe_key.startswith("reminder:") else None
        lines.append(
            LogLine(
                msg=m,
                status=shown_status(m),
                subject=subject_of(m),
                concern=concerns.get(m.about),
                reminder=_("%(when)sのリマインダー", when=label_words(offset)) if offset else "",
            )
        )
    return lines
