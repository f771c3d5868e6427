"""The worker's free-slot cache is never stale: every writer changes a version in its own
transaction (database triggers), and the next `free_slots` call sees the change — also when
another worker made it. Each test goes through the product's own service function."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import event

from booking.consultations import slots as engine
from booking.consultations.advisor_admin import Assignment, apply_assignment, set_advisor_active
from booking.consultations.availability import (
    add_exception,
    add_weekly_interval,
    remove_availability,
)
from booking.consultations.catalogue import channel_by_slug, theme_by_slug
from booking.consultations.catalogue_admin import ThemeDetails, save_theme, set_active
from booking.consultations.models import AvailabilityException, Theme, WeeklyAvailability
from booking.consultations.offers import set_branch_offers
from booking.consultations.reporting import create_consultation_day
from booking.consultations.services import (
    Intake,
    book_consultation,
    cancel_consultation,
    reschedule_consultation,
)
from booking.consultations.slots import free_slots
from booking.extensions import db
from booking.org.services import unit_by_key
from tests.conftest import make_app
from tests.consultations.conftest import NOW, jst
from tests.consultations.slot_reference import reference

TUESDAY_10 = jst(2026, 6, 2, 10)  # 25 h after NOW: just outside the 24 h notice


def listing(theme, now=NOW, **filters):
    """Two weeks of free slots (a cached call), checked against the uncached computation."""
    got = free_slots(theme, NOW, NOW + timedelta(days=14), now, **filters)
    assert got == reference(theme, NOW, NOW + timedelta(days=14), now, **filters)
    return got


def at(slots, start, advisor):
    return [s for s in slots if s.start == start and s.advisor_id == advisor.id]


def statements(call) -> int:
    seen = []
    listener = lambda *a, **k: seen.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def advisors_read(monkeypatch) -> list[list[int]]:
    """The advisors whose rows each computation of slots reads (the real reads still run)."""
    seen: list[list[int]] = []
    real = engine.read

    def spy(ids, *args, **kwargs):
        seen.append(sorted(ids))
        return real(ids, *args, **kwargs)

    monkeypatch.setattr(engine, "read", spy)
    return seen


@pytest.fixture
def desk(make_advisor, theme):
    """One advisor at Chiyoda (Mon–Fri 10–12, 13–17), the management theme, a warm cache."""
    advisor = make_advisor()
    t = theme(min_notice_hours=24)
    listing(t)
    return advisor, t


def test_a_repeated_call_reads_one_statement_and_answers_the_same(desk):
    advisor, t = desk
    first = listing(t)
    assert statements(lambda: free_slots(t, NOW, NOW + timedelta(days=14), NOW)) == 1
    assert free_slots(t, NOW, NOW + timedelta(days=14), NOW) == first
    assert at(first, TUESDAY_10, advisor)


def test_the_window_moves_with_now_on_the_same_entry(desk):
    advisor, t = desk
    later = NOW + timedelta(
        hours=1, minutes=1, seconds=30
    )  # Tuesday 10:00 is now inside the notice
    call = lambda: free_slots(t, NOW, NOW + timedelta(days=14), later)  # noqa: E731
    assert statements(call) == 1
    assert call() == listing(t, now=later)
    assert not at(call(), TUESDAY_10, advisor) and at(listing(t), TUESDAY_10, advisor)
    # The notice ends half a minute after a slot's start: cut as the window's own computation.
    edge = NOW + timedelta(hours=1, seconds=30)
    assert free_slots(t, NOW, NOW + timedelta(days=14), edge) == listing(t, now=edge)


def test_a_booking_made_cancelled_and_moved_is_seen(desk, member):
    advisor, t = desk
    c = book_consultation(member, t, "online", TUESDAY_10, NOW, intake=Intake(topic="資金"))
    db.session.commit()
    assert not at(listing(t), TUESDAY_10, advisor)
    reschedule_consultation(c, TUESDAY_10 + timedelta(hours=1), NOW, member)
    db.session.commit()
    slots = listing(t)
    assert at(slots, TUESDAY_10, advisor) and not at(
        slots, TUESDAY_10 + timedelta(hours=1), advisor
    )
    cancel_consultation(c, NOW, member)
    db.session.commit()
    assert at(listing(t), TUESDAY_10 + timedelta(hours=1), advisor)


def test_weekly_hours_added_and_removed_are_seen(desk):
    advisor, t = desk
    saturday_10 = jst(2026, 6, 6, 10)
    assert not at(listing(t), saturday_10, advisor)
    row = add_weekly_interval(advisor, 5, time(10), time(12))
    db.session.commit()
    assert at(listing(t), saturday_10, advisor)
    remove_availability(advisor, WeeklyAvailability, row.id, now=NOW)
    db.session.commit()
    assert not at(listing(t), saturday_10, advisor)


def test_exceptions_off_extra_and_removed_are_seen(desk):
    advisor, t = desk
    off = add_exception(advisor, date(2026, 6, 2), "off", None, None, now=NOW)
    db.session.commit()
    assert not at(listing(t), TUESDAY_10, advisor)
    remove_availability(advisor, AvailabilityException, off.id, now=NOW)
    db.session.commit()
    assert at(listing(t), TUESDAY_10, advisor)
    add_exception(advisor, date(2026, 6, 7), "extra", time(9), time(10), now=NOW)  # a Sunday
    db.session.commit()
    assert at(listing(t), jst(2026, 6, 7, 9), advisor)


def test_an_advisor_deactivated_or_reassigned_is_seen(desk, make_advisor):
    advisor, t = desk
    other = make_advisor()
    assert at(listing(t), TUESDAY_10, other)
    apply_assignment(other, Assignment(themes=[theme_by_slug("succession")],
                                       channels=list(other.channels),
                                       branches=list(other.branches)))  # fmt: skip
    db.session.commit()
    assert not at(listing(t), TUESDAY_10, other)
    assert {s.channel for s in at(listing(t), TUESDAY_10, advisor)} == {"branch", "online", "phone"}
    apply_assignment(advisor, Assignment(themes=[t], channels=[channel_by_slug("phone")],
                                         branches=list(advisor.branches)))  # fmt: skip
    db.session.commit()
    assert {s.channel for s in at(listing(t), TUESDAY_10, advisor)} == {"phone"}
    set_advisor_active(advisor, False, NOW)
    db.session.commit()
    assert listing(t) == []


def test_catalogue_edits_are_seen(desk):
    advisor, t = desk
    set_active(channel_by_slug("online"), False)
    db.session.commit()
    assert {s.channel for s in at(listing(t), TUESDAY_10, advisor)} == {"branch", "phone"}
    chiyoda = unit_by_key("branch:chiyoda")
    set_branch_offers(chiyoda, {x.id for x in db.session.query(Theme)} - {t.id},
                      {channel_by_slug("branch").id})  # fmt: skip
    db.session.commit()
    assert listing(t) == []
    set_branch_offers(chiyoda, {t.id}, {channel_by_slug("branch").id})
    db.session.commit()
    assert {s.channel for s in at(listing(t), TUESDAY_10, advisor)} == {"branch"}


def test_a_theme_edit_and_a_consultation_day_are_seen(desk):
    advisor, t = desk
    save_theme(t, ThemeDetails(name=t.name, slot_minutes=30, min_notice_hours=24))
    db.session.commit()
    assert at(listing(t), TUESDAY_10 + timedelta(minutes=30), advisor)
    minato = unit_by_key("branch:minato")
    day = create_consultation_day(title="出張相談会", day=date(2026, 6, 6), starts=time(13),
                                  ends=time(14), branch=minato, advisors=[advisor])  # fmt: skip
    db.session.commit()
    [slot] = at(listing(t), jst(2026, 6, 6, 13), advisor)
    assert at(listing(t), jst(2026, 6, 6, 13, 30), advisor)
    assert (slot.branch, slot.consultation_day_id) == ("minato", day.id)
    day.ends = time(13, 30)
    db.session.commit()
    assert len(at(listing(t), jst(2026, 6, 6, 13), advisor)) == 1
    assert not at(listing(t), jst(2026, 6, 6, 13, 30), advisor)


def test_another_workers_booking_is_seen(desk, member, database_url):
    advisor, t = desk
    other = make_app(database_url)
    with other.app_context():
        book_consultation(db.session.merge(member), theme_by_slug("management"), "online",
                          TUESDAY_10, NOW, intake=Intake(topic="資金"))  # fmt: skip
        db.session.commit()
    db.session.rollback()  # this worker's next request: a new transaction
    assert not at(listing(t), TUESDAY_10, advisor)


def test_slots_computed_inside_a_rolled_back_booking_are_never_served(desk, member):
    advisor, t = desk
    book_consultation(member, t, "online", TUESDAY_10, NOW, intake=Intake(topic="資金"))
    assert not at(listing(t), TUESDAY_10, advisor)  # cached under the uncommitted version
    db.session.rollback()
    add_weekly_interval(advisor, 5, time(10), time(11))  # another change of the same advisor
    db.session.commit()
    assert at(listing(t), TUESDAY_10, advisor)


def test_a_booking_recomputes_only_its_advisors_days(desk, make_advisor, member, monkeypatch):
    advisor, t = desk
    others = [make_advisor(), make_advisor()]
    call = lambda: free_slots(t, NOW, NOW + timedelta(days=14), NOW)  # noqa: E731
    before = call()
    assert all(at(before, TUESDAY_10, a) for a in (advisor, *others))
    read = advisors_read(monkeypatch)
    c = book_consultation(member, t, "online", TUESDAY_10, NOW, intake=Intake(topic="資金"))
    db.session.commit()
    del read[:]  # the booking's own check of its start (never cached)
    got = call()
    assert read == [[c.advisor_id]]  # the other advisors' days come from their entries
    assert got == reference(t, NOW, NOW + timedelta(days=14), NOW)
    taken = [a for a in (advisor, *others) if a.id == c.advisor_id]
    assert not at(got, TUESDAY_10, *taken)
    assert len(got) == len(before) - 3  # the 10:00 slot of each of its 3 channels
    del read[:]
    assert call() == got and read == []  # asked again: the merged answer, nothing computed


def test_a_catalogue_edit_recomputes_every_advisor(desk, make_advisor, monkeypatch):
    advisor, t = desk
    other = make_advisor()
    free_slots(t, NOW, NOW + timedelta(days=14), NOW)
    read = advisors_read(monkeypatch)
    set_active(channel_by_slug("online"), False)
    db.session.commit()
    free_slots(t, NOW, NOW + timedelta(days=14), NOW)
    assert read == [sorted([advisor.id, other.id])]
