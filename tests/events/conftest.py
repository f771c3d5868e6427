"""Factories for events tests: `make_event(capacity=2, lottery=True, …)`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from booking.events.models import Event, Frame, Question
from booking.extensions import db
from booking.org.services import unit_by_key
from booking.timefmt import now_utc


@pytest.fixture
def make_event(app) -> Callable[..., Event]:
    """`make_event(capacity=50, days=7, status="published", frames=None, questions=(), **fields)`."""
    return event_factory()


def event_factory() -> Callable[..., Event]:
    """The factory behind `make_event` (other test folders make their own fixture of it)."""

    def factory(
        capacity: int = 50, days: float = 7, status: str = "published", frames=None,
        questions=(), unit: str = "hq", title: str = "経営者向けDXセミナー", **fields,
    ) -> Event:  # fmt: skip
        start = now_utc() + timedelta(days=days)
        frame_fields = {
            k: fields.pop(k)
            for k in ("audience", "per_company_limit", "lottery", "waitlist", "closes_at",
                      "opens_at", "mode", "price_label")
            if k in fields
        }  # fmt: skip
        event = Event(
            title=title, kind=fields.pop("kind", "seminar"), format=fields.pop("format", "in_person"),
            unit=unit_by_key(unit), starts_at=start, ends_at=start + timedelta(hours=2),
            status=status, venue_name="本部 会議室", venue_address="東京都千代田区丸の内3-2-2",
            **fields,
        )  # fmt: skip
        for i, f in enumerate(frames or [dict(name="会場参加", capacity=capacity, **frame_fields)]):
            event.frames.append(Frame(position=i, taken=0, **f))
        for i, q in enumerate(questions):
            event.questions.append(Question(position=i, **q))
        db.session.add(event)
        db.session.commit()
        return event

    return factory
