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


def action_word(state: str) -> str:
    """What sending the form does for a frame in `state`: the confirm page's button and the
    instruction above it both say this, and so does the detail page's apply button."""
    if state == "waitlist":
        return _("キャンセル待ちに登録する")
    if state == "lottery":
        return _("抽選に申し込む")
    return _("申し込みを確定する")


def price_text(frame) -> str:
    """The frame's fee as people read it: its label, or 無料 (in the reader's language)."""
    from booking.events.payment import is_priced

    return frame.price_label if is_priced(frame) else _("無料")


def seats_text(frame, state: str) -> str:
    """Seats in a few words for the frame choice: 残り12席, 満席・キャンセル待ち, 定員50名・抽選."""
    capacity, left = f"{frame.capacity:,}", f"{frame.remaining:,}"
    if state == "lottery":
        return _("定員%(n)s名・抽選", n=capacity)
    if state == "waitlist":
        return _("満席・キャンセル待ち")
    if frame.remaining <= 0:
        return _("満席")
    return _("残り%(n)s席", n=left)


def frame_choice(frame, state: str) -> str:
    """One frame choice on the form: 会場参加 — 3,000円（税込）・残り12席 (no nested brackets)."""
    return _(
        "%(name)s — %(price)s・%(seats)s",
        name=frame.name, price=price_text(frame), seats=seats_text(frame, state),
    )  # fmt: skip


def status_text(status: str, position: int | None = None) -> str:
    """A registration's state in one phrase: 参加確定, キャンセル待ち3番目 (never both words)."""
    if status == "waitlisted" and position:
        return _("キャンセル待ち%(n)s番目", n=position)
    return event_words()["status"][status]


def apply_word(states: list[str]) -> str:
    """The detail page's apply button for the frames a person may pick (their states)."""
    if states and all(s == "waitlist" for s in states):
        return _("キャンセル待ちに登録する")
    if states and all(s == "lottery" for s in states):
        return _("抽選に申し込む")
    return _("申し込む")
