"""The words people expect (UX.md), translated once per request for the templates.

Event lists show many cards; translating each badge through Babel on every use is the
slowest part of the page, so templates look the words up in this dict instead.
"""

from __future__ import annotations

from babel.dates import format_date
from flask import g, has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _

from booking.timefmt import to_local


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
        # Exhibitions count visitors, not seats.
        "capacity_visitors": _("来場定員%(n)s名"),
        "remaining_visitors": _("残り%(n)s名"),
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
    """The frame's fee as people read it, in the reader's language (無料 / Free, ¥3,000 …)."""
    from booking.localnames import fee

    return fee(frame.price_label)


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


def sessions_note(event) -> str:
    """What an event's several sessions mean, in one sentence (empty for a single session).

    An exhibition held over several days is one event open on each of them
    (`2日間開催（6月3日・4日）`); any other event with sessions is a series (連続講座) that one
    registration covers.
    """
    sessions = sorted(event.sessions, key=lambda s: s.starts_at)
    if len(sessions) < 2:
        return ""
    if event.kind != "exhibition":
        return _("連続講座です。1回のお申し込みで全%(n)s回にご参加いただけます。", n=len(sessions))
    days = sorted({to_local(s.starts_at).date() for s in sessions})
    return _("%(n)s日間開催（%(days)s）", n=len(days), days=_day_list(days))


def _day_list(days: list) -> str:
    """`6月3日・4日` / `6月30日・7月1日`; in English `3 and 4 June` / `30 June and 1 July`."""
    locale = str(get_locale() or "ja") if has_request_context() else "ja"
    if locale.startswith("en"):
        parts = []
        for i, day in enumerate(days):
            same_month_as_next = i + 1 < len(days) and days[i + 1].month == day.month
            pattern = "d" if same_month_as_next else "d MMMM"
            parts.append(format_date(day, pattern, locale="en"))
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    parts = []
    for i, day in enumerate(days):
        same_month_as_before = i > 0 and days[i - 1].month == day.month
        parts.append(f"{day.day}日" if same_month_as_before else f"{day.month}月{day.day}日")
    return "・".join(parts)
