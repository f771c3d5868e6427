"""Door check-in: one entry per visitor and day, the refusals, and the entrance pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from booking.events.models import Registration
from booking.events.registrations import cancel_registration
from booking.exhibitions.entrance.entries import day_counts, enter
from booking.exhibitions.models import Entry
from booking.extensions import db
from booking.timefmt import now_utc
from tests.exhibitions.visitors import at, register


def _entries(reg_id: int) -> list[tuple]:
    return db.session.execute(
        select(Entry.day, Entry.entrance).where(Entry.registration_id == reg_id).order_by(Entry.day)
    ).all()


@pytest.fixture
def fair(make_fair):
    return make_fair()


@pytest.fixture
def visitor(fair, member):
    return register(fair, member)


def test_first_scan_enters_and_marks_the_registration_checked_in(fair, visitor, staff):
    now = at(fair.days[0], 10, 5)
    result = enter(fair.exhibition, visitor.pass_token, "東口", now, staff=staff)
    db.session.commit()
    assert result.outcome == "entered" and not result.refused
    assert result.registration.id == visitor.id and result.entered_by == "東口"
    assert _entries(visitor.id) == [(fair.days[0], "東口")]
    entry = db.session.scalar(select(Entry).where(Entry.registration_id == visitor.id))
    assert entry.scanned_by_id == staff.id
    db.session.expire_all()
    assert db.session.get(Registration, visitor.id).checked_in_at is not None


def test_second_scan_the_same_day_says_when_and_where_and_adds_no_row(fair, visitor):
    enter(fair.exhibition, visitor.pass_token, "東口", at(fair.days[0], 10, 5))
    db.session.commit()
    again = enter(fair.exhibition, visitor.pass_token, "西口", at(fair.days[0], 14, 0))
    db.session.commit()
    assert again.outcome == "already"
    assert again.entered_by == "東口"
    assert again.entered_at.astimezone(at(fair.days[0], 0).tzinfo) == at(fair.days[0], 10, 5)
    assert _entries(visitor.id) == [(fair.days[0], "東口")]


def test_the_second_day_is_a_new_entry(fair, visitor):
    enter(fair.exhibition, visitor.pass_token, "東口", at(fair.days[0], 10))
    result = enter(fair.exhibition, visitor.pass_token, "西口", at(fair.days[1], 11))
    db.session.commit()
    assert result.outcome == "entered"
    assert _entries(visitor.id) == [(fair.days[0], "東口"), (fair.days[1], "西口")]


def test_the_day_is_the_local_day_in_tokyo(fair, visitor):
    # 00:30 in Tokyo on the first day is still the day before in UTC.
    now = at(fair.days[0], 0, 30)
    assert now.date() != fair.days[0]
    assert enter(fair.exhibition, visitor.pass_token, "東口", now).outcome == "entered"
    assert _entries(visitor.id) == [(fair.days[0], "東口")]


def test_staff_may_scan_for_a_chosen_fair_day(fair, visitor):
    result = enter(fair.exhibition, visitor.pass_token, "東口", now_utc(), day=fair.days[1])
    assert result.outcome == "entered" and result.day == fair.days[1]


@pytest.mark.parametrize("token", ["", "   ", "no-such-pass", "x" * 200])
def test_an_unknown_pass_is_refused(fair, token):
    result = enter(fair.exhibition, token, "東口", at(fair.days[0], 10))
    assert result.outcome == "unknown_pass" and result.refused and result.registration is None
    assert db.session.scalar(select(func.count()).select_from(Entry)) == 0


def test_a_pass_of_another_event_is_refused_without_naming_its_holder(make_fair, fair, member):
    other = make_fair()
    reg = register(other, member)
    result = enter(fair.exhibition, reg.pass_token, "東口", at(fair.days[0], 10))
    assert result.outcome == "other_event" and result.registration is None
    assert _entries(reg.id) == []


def test_a_cancelled_registration_is_refused(fair, visitor):
    cancel_registration(visitor, now_utc(), notify=False)
    db.session.commit()
    result = enter(fair.exhibition, visitor.pass_token, "東口", at(fair.days[0], 10))
    assert result.outcome == "not_confirmed"
    assert _entries(visitor.id) == []


def test_a_waitlisted_registration_is_refused(make_fair, make_user):
    fair = make_fair(capacity=1)
    register(fair, make_user("member"))
    waiting = register(fair, make_user("member"))
    assert waiting.status == "waitlisted"
    result = enter(fair.exhibition, waiting.pass_token, "東口", at(fair.days[0], 10))
    assert result.outcome == "not_confirmed"
    assert _entries(waiting.id) == []


def test_an_online_only_registration_is_refused(fair, member):
    reg = register(fair, member, online=True)
    result = enter(fair.exhibition, reg.pass_token, "東口", at(fair.days[0], 10))
    assert result.outcome == "online_only"
    assert _entries(reg.id) == []


def test_a_day_outside_the_fair_is_refused(fair, visitor):
    for now in (
        at(fair.days[0] - timedelta(days=1), 10),
        at(fair.days[-1] + timedelta(days=1), 10),
    ):
        assert enter(fair.exhibition, visitor.pass_token, "東口", now).outcome == "not_fair_day"
    assert _entries(visitor.id) == []


def test_an_unknown_entrance_is_refused(fair, visitor):
    result = enter(fair.exhibition, visitor.pass_token, "北口", at(fair.days[0], 10))
    assert result.outcome == "unknown_entrance"
    assert _entries(visitor.id) == []


def test_day_counts_list_every_entrance(fair, make_user):
    for i in range(3):
        reg = register(fair, make_user("member"))
        enter(fair.exhibition, reg.pass_token, "西口" if i else "東口", at(fair.days[0], 10))
    db.session.commit()
    assert day_counts(fair.exhibition, fair.days[0]) == {"東口": 1, "西口": 2}
    assert day_counts(fair.exhibition, fair.days[1]) == {"東口": 0, "西口": 0}
