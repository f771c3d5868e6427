"""Factories for calendar tests: events, in-memory items, a private source, the parsers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from booking.calendars.items import CalendarItem, sources_of
from booking.events.models import Event
from booking.timefmt import now_utc
from tests import factories

JAPANESE_LONG = (
    "中小企業のためのデジタル化推進セミナー〜生成AIの活用と情報セキュリティ対策の基礎〜（第1回）"
)
PUNCTUATED = "交流会, 名刺交換; 商談会\\特別編"


@pytest.fixture
def make_event(app) -> Callable[..., Event]:
    """Factory: a published, public, in-person event of HQ without frames, 10+n days ahead at
    14:00–16:00 JST (each one a day later, so feeds list them in a known order)."""
    counter = iter(range(1, 10_000))

    def factory(**fields) -> Event:
        n = next(counter)
        start = fields.pop("starts_at", None) or (
            now_utc().replace(hour=5, minute=0, second=0, microsecond=0) + timedelta(days=10 + n)
        )
        fields.setdefault("title", f"テストセミナー{n}")
        fields.setdefault("summary", "概要です。")
        return factories.make_event(starts_at=start, frames=fields.pop("frames", []), **fields)

    return factory


@pytest.fixture
def make_item() -> Callable[..., CalendarItem]:
    counter = iter(range(1, 10_000))
    base = datetime(2026, 6, 1, 5, 0, tzinfo=UTC)

    def factory(**fields) -> CalendarItem:
        n = next(counter)
        start = fields.pop("starts_at", base + timedelta(days=n))
        values = {
            "kind": "registration", "id": n, "summary": f"予定{n}", "starts_at": start,
            "ends_at": start + timedelta(hours=2), "updated_at": base - timedelta(days=1),
        }  # fmt: skip
        values.update(fields)
        return CalendarItem(**values)

    return factory


@pytest.fixture
def private_items(app, monkeypatch) -> dict[int, list[CalendarItem]]:
    """A registered private source: `private_items[user.id]` is that person's bookings."""
    store: dict[int, list[CalendarItem]] = defaultdict(list)
    monkeypatch.setitem(sources_of(app).private, "tests.private", lambda user, now: store[user.id])
    return store


@pytest.fixture
def advisor_items(app, monkeypatch) -> dict[int, list[CalendarItem]]:
    store: dict[int, list[CalendarItem]] = defaultdict(list)
    monkeypatch.setitem(sources_of(app).advisor, "tests.advisor", lambda user, now: store[user.id])
    return store
