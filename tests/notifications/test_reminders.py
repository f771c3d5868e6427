"""Reminders: planned per booking, re-timed, skipped when too late, cancelled, staff rules.

The bookings here are accounts (`user:<id>`, whose mail holds while the account exists): the
reminder mechanics are the same for every kind of booking. How staff-edited rules reach an
event's existing registrations is proven through the staff page in
tests/events/test_reminder_rules.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from booking.errors import Invalid
from booking.events.models import Event
from booking.extensions import db
from booking.notifications import mailer
from booking.notifications.dispatcher import dispatch_due
from booking.notifications.models import OutboxMessage
from booking.notifications.reminders import (
    cancel_reminders,
    plan_reminders,
    save_reminder_rule,
)
from booking.timefmt import as_utc
from tests import factories

NOW = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
START = NOW + timedelta(days=3)
END = START + timedelta(hours=2)
CONTEXT = {"name": "山田 太郎", "title": "事業承継セミナー", "when": "6月4日(木) 9:00〜11:00"}


@pytest.fixture
def make_event(app):
    def factory(starts_at=START, ends_at=END) -> Event:
        return factories.make_event(starts_at=starts_at, ends_at=ends_at, title="事業承継セミナー")

    return factory


@pytest.fixture(autouse=True)
def bookings(app, make_user) -> list[str]:
    """Two things reminders are about, for `_plan` and `_reminders` (the first by default)."""
    BOOKINGS[:] = [f"user:{make_user('member').id}" for _ in range(2)]
    return BOOKINGS


BOOKINGS: list[str] = []


def _plan(about=None, start=START, now=NOW, **kw):
    n = plan_reminders(
        about or BOOKINGS[0], "taro@example.jp", kw.pop("locale", "ja"), start, "reminder",
        CONTEXT, now, **kw,
    )  # fmt: skip
    db.session.commit()
    return n


def _reminders(about=None) -> dict[str, OutboxMessage]:
    about = about or BOOKINGS[0]
    db.session.expire_all()
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.startswith(f"reminder:{about}:"))
    )
    return {row.dedupe_key.rsplit(":", 1)[1]: row for row in rows}


def test_the_configured_offsets_are_planned_before_the_start(app):
    assert _plan() == 2
    rows = _reminders()
    assert set(rows) == {"P1D", "PT1H"}
    assert as_utc(rows["P1D"].due_at) == START - timedelta(days=1)
    assert as_utc(rows["PT1H"].due_at) == START - timedelta(hours=1)
    assert all(as_utc(r.not_after) == START for r in rows.values())  # never after the start
    assert all(r.status == "pending" and r.template == "reminder" for r in rows.values())


def test_a_change_of_start_time_re_times_the_same_rows(app):
    _plan()
    before = {k: r.id for k, r in _reminders().items()}
    later = START + timedelta(days=7)
    _plan(start=later, version=2)
    rows = _reminders()
    assert {k: r.id for k, r in rows.items()} == before
    assert as_utc(rows["P1D"].due_at) == later - timedelta(days=1)
    assert as_utc(rows["P1D"].not_after) == later and rows["P1D"].about_version == 2


def test_a_reminder_whose_time_has_passed_at_booking_is_skipped_not_fired(app):
    assert _plan(now=START - timedelta(hours=5)) == 1
    rows = _reminders()
    assert set(rows) == {"PT1H"}
    assert dispatch_due(now=START - timedelta(hours=5)) == 0  # nothing fired at once


def test_moving_the_start_closer_cancels_a_reminder_that_is_now_too_late(app):
    _plan()
    _plan(start=NOW + timedelta(hours=5))
    rows = _reminders()
    assert rows["P1D"].status == "cancelled" and rows["PT1H"].status == "pending"


def test_moving_the_start_later_again_revives_the_cancelled_reminder(app):
    _plan(start=NOW + timedelta(hours=5))
    _plan(start=START)
    assert _reminders()["P1D"].status == "pending"


def test_cancelling_the_booking_cancels_its_pending_reminders_only(app, bookings):
    _plan()
    _plan(about=bookings[1])
    assert dispatch_due(now=START - timedelta(days=1)) == 2  # both P1D reminders went out
    assert cancel_reminders(bookings[0]) == 1
    db.session.commit()
    rows = _reminders()
    assert rows["P1D"].status == "sent" and rows["PT1H"].status == "cancelled"
    assert _reminders(bookings[1])["PT1H"].status == "pending"


def test_an_overdue_reminder_found_after_the_start_is_not_sent(app):
    _plan()
    assert dispatch_due(now=START + timedelta(minutes=1)) == 0
    rows = _reminders()
    assert {r.status for r in rows.values()} == {"cancelled"}
    assert mailer.outbox_memory == []


def test_an_overdue_reminder_found_before_the_start_is_still_sent(app):
    _plan()
    assert dispatch_due(now=START - timedelta(minutes=30)) == 2  # the scheduler was down


def test_staff_text_replaces_the_default_subject_and_body(app, make_event, bookings):
    event = make_event()
    save_reminder_rule(
        event.id, NOW, anchor="start", direction="before", duration="P1D",
        subject="明日のセミナーについて", body="会場は4階に変更になりました。",
        subject_en="About tomorrow's seminar",
    )  # fmt: skip
    db.session.commit()
    _plan(event_id=event.id)
    _plan(about=bookings[1], event_id=event.id, locale="en")
    dispatch_due(now=START - timedelta(days=1))
    subjects = sorted(m["Subject"] for m in mailer.outbox_memory)
    assert subjects == [
        "【Tokyo Chamber of Commerce】About tomorrow's seminar",
        "【東京商工会議所】明日のセミナーについて",
    ]
    ja = next(m for m in mailer.outbox_memory if "東京" in m["Subject"])
    assert "会場は4階に変更になりました。" in ja.get_body(("plain",)).get_content()


def test_a_reminder_relative_to_the_end_is_planned_after_the_event(app, make_event):
    event = make_event()
    save_reminder_rule(
        event.id, NOW, anchor="end", direction="after", duration="PT2H",
        subject="資料とアンケートのお願い",
    )  # fmt: skip
    db.session.commit()
    assert _plan(event_id=event.id, ends_at=END) == 3
    survey = _reminders()["end+PT2H"]
    assert as_utc(survey.due_at) == END + timedelta(hours=2)
    assert as_utc(survey.not_after) == END + timedelta(hours=2, days=1)
    assert dispatch_due(now=END + timedelta(hours=2)) == 1
    assert mailer.outbox_memory[-1]["Subject"] == "【東京商工会議所】資料とアンケートのお願い"


def test_a_switched_off_rule_removes_a_default_reminder(app, make_event):
    event = make_event()
    save_reminder_rule(event.id, NOW, anchor="start", direction="before", duration="PT1H",
                       active=False)  # fmt: skip
    db.session.commit()
    assert _plan(event_id=event.id) == 1
    assert set(_reminders()) == {"P1D"}


def test_a_rule_with_a_duration_that_is_not_iso_8601_is_refused(app, make_event):
    event = make_event()
    with pytest.raises(Invalid) as caught:
        save_reminder_rule(event.id, NOW, anchor="start", direction="before", duration="1 day")
    assert caught.value.field == "duration"
