"""The words people expect (UX.md), translated once per request for the templates.

Event lists show many cards; translating each badge through Babel on every use is the
slowest part of the page, so templates look the words up in this dict instead.
"""

from __future__ import annotations

from flask import g, has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _


def _build() -> dict:
    return {
        "kind": {"seminar": _("セミナー・講演会"), "exchange": _("交流会・商談会"),
                 "exhibition": _("展示会"), "other": _("その他")},
        "format": {"in_person": _("会場参加"), "online": _("オンライン参加"),
                   "hybrid": _("ハイブリッド開催")},
        "state": {"open": _("受付中"), "few_left": _("残りわずか"),
                  "waitlist": _("キャンセル待ち受付中"), "full": _("満席"), "closed": _("受付終了"),
                  "not_open": _("受付開始前"), "lottery": _("抽選受付中"), "cancelled": _("中止"),
                  "ended": _("開催済み")},
        "status": {"confirmed": _("参加確定"), "waitlisted": _("キャンセル待ち"),
                   "applied": _("抽選申込中"), "cancelled": _("キャンセル済み")},
        # Patterns, filled in by the template's `format` filter.
        "capacity": _("定員%(n)s名"),
        "remaining": _("残り%(n)s席"),
        "full": _("満席"),
        "organiser": _("主催"),
        "members_only": _("会員限定"),
    }  # fmt: skip


def event_words() -> dict:
    """The dict above in the current locale, built once per request."""
    if not has_request_context():
        return _build()
    key = f"event_words_{get_locale()}"
    words = g.get(key)
    if words is None:
        words = _build()
        setattr(g, key, words)
    return words
