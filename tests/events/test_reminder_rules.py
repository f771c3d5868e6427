"""Reminder rules staff edit on the event's page reach the registrations it already has.

Real event, real registrations (`register_for_frame`), the real staff page and the events
domain's real reminder-target registration: no provider is registered by hand here.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from booking.events.registrations import cancel_registration, register_for_frame
from booking.extensions import db
from booking.notifications.models import OutboxMessage
from booking.timefmt import as_utc, now_utc, to_local


@pytest.fixture
def event(make_event):
    return make_event(days=10, capacity=10)


@pytest.fixture
def registrations(event, make_user):
    """Three confirmed registrations made before any rule was edited, and one cancelled."""
    regs = [
        register_for_frame(make_user("member"), event.id, event.frames[0].id, {}, now_utc())
        for _ in range(4)
    ]
    db.session.commit()
    cancel_registration(regs[-1], now_utc())
    db.session.commit()
    return regs


def _reminder(reg, label: str) -> OutboxMessage | None:
    db.session.expire_all()
    return db.session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.dedupe_key == f"reminder:registration:{reg.id}:{label}"
        )
    )


def _save_rule(staff_client, event, when: str, amount: str, unit: str, active=True, **texts):
    data = {"when": when, "amount": amount, "unit": unit, **texts}
    if active:
        data["active"] = "y"
    response = staff_client.post(f"/staff/outbox/events/{event.id}/reminders", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_rule_added_on_the_staff_page_reaches_every_existing_registration(
    staff_client, event, registrations
):  # fmt: skip
    *active, cancelled = registrations
    _save_rule(staff_client, event, "end-after", "1", "D", subject="アンケートのお願い")
    for reg in active:
        survey = _reminder(reg, "end+P1D")
        assert survey is not None and survey.status == "pending", reg.id
        assert as_utc(survey.due_at) == as_utc(event.ends_at) + timedelta(days=1)
        assert survey.context["reminder_subject"] == "アンケートのお願い"
        assert survey.about == f"attendee:{reg.id}"  # after the end: only if they came
    assert _reminder(cancelled, "end+P1D") is None


def test_switching_a_default_reminder_off_cancels_its_unsent_reminders(
    staff_client, event, registrations
):  # fmt: skip
    *active, _cancelled = registrations
    assert {_reminder(reg, "PT1H").status for reg in active} == {"pending"}
    _save_rule(staff_client, event, "start-before", "1", "H", active=False)
    for reg in active:
        assert _reminder(reg, "PT1H").status == "cancelled"
        assert _reminder(reg, "P1D").status == "pending"


def test_a_registration_made_after_the_rules_changed_follows_them_too(
    staff_client, event, registrations, make_user
):  # fmt: skip
    _save_rule(staff_client, event, "start-before", "1", "H", active=False)
    _save_rule(staff_client, event, "end-after", "2", "H")
    late = register_for_frame(make_user("member"), event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    assert _reminder(late, "PT1H") is None
    assert _reminder(late, "end+PT2H").status == "pending"


def test_changing_the_event_time_moves_every_rules_reminders(staff_client, event, registrations):
    *active, _cancelled = registrations
    _save_rule(staff_client, event, "end-after", "1", "D")
    _save_rule(staff_client, event, "start-before", "3", "D")
    new_start = (as_utc(event.starts_at) + timedelta(days=5)).replace(second=0, microsecond=0)
    new_end = new_start + timedelta(hours=3)
    response = staff_client.post(f"/staff/events/{event.id}/reschedule", data={
        "starts_at": to_local(new_start).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": to_local(new_end).strftime("%Y-%m-%dT%H:%M"),
    })  # fmt: skip
    assert response.status_code == 302
    for reg in active:
        assert as_utc(_reminder(reg, "P1D").due_at) == new_start - timedelta(days=1)
        assert as_utc(_reminder(reg, "PT1H").due_at) == new_start - timedelta(hours=1)
        assert as_utc(_reminder(reg, "P3D").due_at) == new_start - timedelta(days=3)
        assert as_utc(_reminder(reg, "end+P1D").due_at) == new_end + timedelta(days=1)


def test_deleting_a_rule_on_the_staff_page_cancels_its_reminders(
    staff_client, event, registrations
):  # fmt: skip
    from booking.notifications.reminders import event_rules

    *active, _cancelled = registrations
    _save_rule(staff_client, event, "end-after", "1", "D")
    [rule] = event_rules(event.id)
    response = staff_client.post(f"/staff/outbox/events/{event.id}/reminders/{rule.id}/delete")
    assert response.status_code == 302
    for reg in active:
        assert _reminder(reg, "end+P1D").status == "cancelled"
        assert _reminder(reg, "P1D").status == "pending"
