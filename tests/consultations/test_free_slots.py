"""The free-slot engine: availability minus bookings, holidays, exceptions, notice, horizon."""

from datetime import date, time, timedelta

from sqlalchemy import event

from booking.consultations.availability import add_weekly_interval
from booking.consultations.models import AvailabilityException, ConsultationDay
from booking.consultations.slots import free_slots, is_closed_day
from booking.extensions import db
from booking.org.services import unit_by_key
from tests.consultations.conftest import NOW, jst


def starts(slots):
    return [s.start for s in slots]


def test_weekly_hours_make_slots_of_the_theme_length(make_advisor, theme):
    advisor = make_advisor(hours=[(1, time(10), time(12))])  # Tuesdays
    slots = free_slots(
        theme(slot_minutes=30), jst(2026, 6, 2), jst(2026, 6, 3), NOW, channel_slug="online"
    )
    assert starts(slots) == [
        jst(2026, 6, 2, 10),
        jst(2026, 6, 2, 10, 30),
        jst(2026, 6, 2, 11),
        jst(2026, 6, 2, 11, 30),
    ]
    assert {s.advisor_id for s in slots} == {advisor.id}
    assert slots[0].end == jst(2026, 6, 2, 10, 30)


def test_buffer_separates_slots(make_advisor, theme):
    make_advisor(hours=[(1, time(10), time(12))])
    slots = free_slots(
        theme(slot_minutes=45, buffer_minutes=15),
        jst(2026, 6, 2),
        jst(2026, 6, 3),
        NOW,
        channel_slug="online",
    )
    assert starts(slots) == [jst(2026, 6, 2, 10), jst(2026, 6, 2, 11)]


def test_a_booking_removes_its_slot_and_the_buffer_around_it(make_advisor, theme, member, book):
    advisor = make_advisor(hours=[(1, time(10), time(12))])
    t = theme(slot_minutes=30, buffer_minutes=0)
    book(member, jst(2026, 6, 2, 10, 30), advisor)
    assert jst(2026, 6, 2, 10, 30) not in starts(
        free_slots(t, jst(2026, 6, 2), jst(2026, 6, 3), NOW, channel_slug="online")
    )
    t = theme(slot_minutes=30, buffer_minutes=30)
    left = free_slots(t, jst(2026, 6, 2), jst(2026, 6, 3), NOW, channel_slug="online")
    assert jst(2026, 6, 2, 10) not in starts(left)  # ends within the buffer of the booking


def test_public_holidays_close_the_weekly_schedule(make_advisor, theme):
    assert is_closed_day(date(2026, 7, 20))  # 海の日 (Monday)
    make_advisor(hours=[(0, time(10), time(12))])
    t = theme(horizon_days=90)
    slots = free_slots(t, jst(2026, 7, 20), jst(2026, 7, 21), NOW, channel_slug="online")
    assert slots == []
    slots = free_slots(t, jst(2026, 7, 27), jst(2026, 7, 28), NOW, channel_slug="online")
    assert len(slots) == 2


def test_year_end_closure_29_december_to_3_january(make_advisor, theme):
    for d in (date(2026, 12, 29), date(2026, 12, 31), date(2027, 1, 2), date(2027, 1, 3)):
        assert is_closed_day(d)
    assert not is_closed_day(date(2026, 12, 28)) and not is_closed_day(date(2027, 1, 4))
    make_advisor(hours=[(d, time(10), time(11)) for d in range(7)])
    now = jst(2026, 12, 1, 9)
    slots = free_slots(
        theme(horizon_days=60), jst(2026, 12, 28), jst(2027, 1, 6), now, channel_slug="online"
    )
    days = sorted({s.start.astimezone(jst(2026, 1, 1).tzinfo).date() for s in slots})
    assert days == [date(2026, 12, 28), date(2027, 1, 4), date(2027, 1, 5)]


def test_a_day_off_exception_removes_the_day(make_advisor, theme):
    advisor = make_advisor(hours=[(1, time(10), time(12))])
    db.session.add(AvailabilityException(advisor_id=advisor.id, day=date(2026, 6, 2), kind="off"))
    db.session.commit()
    assert free_slots(theme(), jst(2026, 6, 2), jst(2026, 6, 3), NOW) == []


def test_a_partial_off_exception_removes_those_hours(make_advisor, theme):
    advisor = make_advisor(hours=[(1, time(10), time(13))])
    db.session.add(
        AvailabilityException(
            advisor_id=advisor.id, day=date(2026, 6, 2), kind="off", starts=time(11), ends=time(12)
        )
    )
    db.session.commit()
    slots = free_slots(theme(), jst(2026, 6, 2), jst(2026, 6, 3), NOW, channel_slug="online")
    assert starts(slots) == [jst(2026, 6, 2, 10), jst(2026, 6, 2, 12)]


def test_extra_hours_open_a_day_even_a_holiday(make_advisor, theme):
    advisor = make_advisor(hours=[])
    db.session.add(
        AvailabilityException(
            advisor_id=advisor.id,
            day=date(2026, 7, 20),
            kind="extra",
            starts=time(14),
            ends=time(15),
        )
    )
    db.session.commit()
    slots = free_slots(
        theme(horizon_days=90), jst(2026, 7, 20), jst(2026, 7, 21), NOW, channel_slug="online"
    )
    assert starts(slots) == [jst(2026, 7, 20, 14)]


def test_minimum_notice_hides_slots_too_soon(make_advisor, theme):
    make_advisor(hours=[(0, time(10), time(12)), (1, time(10), time(12))])
    slots = free_slots(
        theme(min_notice_hours=24), jst(2026, 6, 1), jst(2026, 6, 3), NOW, channel_slug="online"
    )
    # now is Monday 09:00: Monday's slots are inside the notice, Tuesday 10:00 is 25 h away.
    assert starts(slots) == [jst(2026, 6, 2, 10), jst(2026, 6, 2, 11)]


def test_horizon_hides_slots_too_far_ahead(make_advisor, theme):
    make_advisor(hours=[(d, time(10), time(11)) for d in range(5)])
    slots = free_slots(
        theme(horizon_days=7), NOW, NOW + timedelta(days=30), NOW, channel_slug="online"
    )
    assert max(starts(slots)) <= NOW + timedelta(days=7)
    assert len(slots) == 4  # Tue–Fri this week; next Monday 10:00 is 7 days + 1 h away


def test_any_advisor_is_the_union_and_filters_by_branch_and_channel(make_advisor, theme):
    a = make_advisor(branches=("chiyoda",), channels=("branch",), hours=[(1, time(10), time(11))])
    b = make_advisor(branches=("minato",), channels=("online",), hours=[(1, time(14), time(15))])
    make_advisor(themes=("succession",), hours=[(1, time(9), time(10))])
    t = theme()
    both = free_slots(t, jst(2026, 6, 2), jst(2026, 6, 3), NOW)
    assert [(s.advisor_id, s.channel, s.branch) for s in both] == [
        (a.id, "branch", "chiyoda"),
        (b.id, "online", "minato"),
    ]
    minato = unit_by_key("branch:minato").id
    assert [
        s.advisor_id for s in free_slots(t, jst(2026, 6, 2), jst(2026, 6, 3), NOW, branch_id=minato)
    ] == [b.id]
    assert [
        s.advisor_id
        for s in free_slots(t, jst(2026, 6, 2), jst(2026, 6, 3), NOW, channel_slug="branch")
    ] == [a.id]


def test_a_consultation_day_adds_counter_slots_at_its_venue(make_advisor, theme):
    a = make_advisor(hours=[])
    b = make_advisor(hours=[])
    shibuya = unit_by_key("branch:shibuya")
    cday = ConsultationDay(
        title="渋谷 出張相談会",
        day=date(2026, 6, 5),
        starts=time(13),
        ends=time(15),
        branch=shibuya,
        venue_name="渋谷区民会館",
    )
    cday.advisors = [a, b]
    db.session.add(cday)
    db.session.commit()
    slots = free_slots(theme(), jst(2026, 6, 5), jst(2026, 6, 6), NOW, branch_id=shibuya.id)
    assert len(slots) == 4
    assert {(s.channel, s.branch, s.consultation_day_id) for s in slots} == {
        ("branch", "shibuya", cday.id)
    }


def test_the_number_of_queries_does_not_grow_with_advisors(app, make_advisor, theme):
    t = theme()

    def count_queries():
        seen = []
        listener = lambda *a, **k: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            free_slots(t, NOW, NOW + timedelta(days=28), NOW)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    make_advisor()
    count_queries()  # the first call also reads the theme's branch withdrawals, kept after it
    make_advisor()
    few = count_queries()  # one new advisor computed
    for _ in range(6):
        make_advisor(branches=("minato", "chuo"))
    assert count_queries() == few  # six new advisors computed


def test_hours_at_another_branch_carry_its_name_alone_or_among_advisors(make_advisor, theme):
    """An advisor's hours at a branch that is not theirs name that branch whether or not
    another advisor of the answer works there (each advisor's slots are computed alone)."""
    away = make_advisor(branches=("chiyoda",))
    add_weekly_interval(away, 5, time(10), time(12), branch_id=unit_by_key("branch:minato").id)
    make_advisor(branches=("minato",))
    db.session.commit()
    t = theme()
    saturday_10 = jst(2026, 6, 6, 10)
    for filters in ({"advisor_id": away.id}, {}):
        slots = free_slots(t, NOW, NOW + timedelta(days=7), NOW, **filters)
        mine = [s for s in slots if s.start == saturday_10 and s.advisor_id == away.id]
        assert mine and {s.branch for s in mine} == {"minato"}, filters
