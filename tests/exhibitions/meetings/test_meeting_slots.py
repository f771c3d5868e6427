"""The meeting slot engine: hours → slots of the fair's length, minus bookings and notice."""

from datetime import time, timedelta

from sqlalchemy import event

from booking.exhibitions.meetings.slots import free_meeting_slots, slots_by_day
from booking.exhibitions.models import Meeting, MeetingHours
from booking.extensions import db
from booking.timefmt import now_utc
from tests.exhibitions.meeting_helpers import at


def whole_fair(fair):
    return at(fair, 0, 0), at(fair, len(fair.days) - 1, 23, 59)


def starts(slots):
    return [(s.start, s.mode) for s in slots]


def test_hours_make_slots_of_the_fairs_length_on_every_day(make_fair, make_exhibitor):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair)
    slots = free_meeting_slots(exhibitor, *whole_fair(fair), now_utc())
    expected = [(at(fair, d, h, m), "booth") for d in (0, 1) for h, m in
                ((13, 0), (13, 30), (14, 0), (14, 30))]  # fmt: skip
    assert starts(slots) == expected
    assert all(s.end - s.start == timedelta(minutes=30) for s in slots)
    assert list(slots_by_day(slots)) == fair.days


def test_a_buffer_spaces_slots_and_widens_bookings(make_fair, make_exhibitor, make_user):
    fair = make_fair(meeting_buffer_minutes=15)
    exhibitor, _ = make_exhibitor(fair)
    day0 = [
        s.start for s in free_meeting_slots(exhibitor, at(fair, 0, 0), at(fair, 1, 0), now_utc())
    ]
    assert day0 == [at(fair, 0, 13), at(fair, 0, 13, 45), at(fair, 0, 14, 30)]
    # A booking off the grid (14:20–14:50) blocks what lies within 15 minutes of it.
    visitor = make_user("member")
    db.session.add(Meeting(exhibition_id=fair.id, exhibitor_id=exhibitor.id, visitor_id=visitor.id,
                           starts_at=at(fair, 0, 14, 20), ends_at=at(fair, 0, 14, 50)))  # fmt: skip
    db.session.commit()
    day0 = [
        s.start for s in free_meeting_slots(exhibitor, at(fair, 0, 0), at(fair, 1, 0), now_utc())
    ]
    assert day0 == [at(fair, 0, 13)]


def test_booked_meetings_are_removed_but_cancelled_ones_free_the_slot(
    make_fair, make_exhibitor, make_user
):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair)
    visitor = make_user("member")
    meeting = Meeting(exhibition_id=fair.id, exhibitor_id=exhibitor.id, visitor_id=visitor.id,
                      starts_at=at(fair, 0, 13, 30), ends_at=at(fair, 0, 14))  # fmt: skip
    db.session.add(meeting)
    db.session.commit()
    free = [s.start for s in free_meeting_slots(exhibitor, *whole_fair(fair), now_utc())]
    assert at(fair, 0, 13, 30) not in free and at(fair, 0, 13) in free and at(fair, 0, 14) in free
    meeting.status = "cancelled"
    db.session.commit()
    free = [s.start for s in free_meeting_slots(exhibitor, *whole_fair(fair), now_utc())]
    assert at(fair, 0, 13, 30) in free


def test_another_exhibitors_bookings_do_not_matter(make_fair, make_exhibitor, make_user):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair)
    other, _ = make_exhibitor(fair)
    db.session.add(Meeting(exhibition_id=fair.id, exhibitor_id=other.id,
                           visitor_id=make_user("member").id,
                           starts_at=at(fair, 0, 13), ends_at=at(fair, 0, 13, 30)))  # fmt: skip
    db.session.commit()
    assert len(free_meeting_slots(exhibitor, *whole_fair(fair), now_utc())) == 8


def test_booking_closes_the_notice_before_a_slot(make_fair, make_exhibitor):
    fair = make_fair(meeting_notice_minutes=60)
    exhibitor, _ = make_exhibitor(fair)
    now = at(fair, 0, 13, 10)
    day0 = [s.start for s in free_meeting_slots(exhibitor, at(fair, 0, 0), at(fair, 1, 0), now)]
    assert day0 == [at(fair, 0, 14, 30)]
    lifted = free_meeting_slots(exhibitor, at(fair, 0, 0), at(fair, 1, 0), now, ignore_window=True)
    assert len(lifted) == 4


def test_modes_follow_the_hours_and_the_exhibitors_participation(make_fair, make_exhibitor):
    fair = make_fair()
    both, _ = make_exhibitor(fair, participation="both")
    on_site, _ = make_exhibitor(fair, participation="in_person")
    for exhibitor in (both, on_site):
        db.session.add(MeetingHours(exhibitor_id=exhibitor.id, day=fair.days[0],
                                    starts=time(15, 0), ends=time(16, 0), mode="online"))  # fmt: skip
    db.session.commit()
    online = free_meeting_slots(both, *whole_fair(fair), now_utc(), "online")
    assert starts(online) == [(at(fair, 0, 15), "online"), (at(fair, 0, 15, 30), "online")]
    assert len(free_meeting_slots(both, *whole_fair(fair), now_utc(), "booth")) == 8
    # Online hours of an exhibitor not taking part online offer nothing.
    assert free_meeting_slots(on_site, *whole_fair(fair), now_utc(), "online") == []
    assert {s.mode for s in free_meeting_slots(on_site, *whole_fair(fair), now_utc())} == {"booth"}


def test_slots_are_read_in_three_queries_whatever_the_bookings(
    app, make_fair, make_exhibitor, make_user
):
    fair = make_fair(n_days=3)
    exhibitor, _ = make_exhibitor(fair)
    for d in range(3):
        db.session.add(MeetingHours(exhibitor_id=exhibitor.id, day=fair.days[d],
                                    starts=time(10, 0), ends=time(12, 0), mode="online"))  # fmt: skip
        for h in (10, 13, 14):
            db.session.add(Meeting(exhibition_id=fair.id, exhibitor_id=exhibitor.id,
                                   visitor_id=make_user("member").id, mode="booth",
                                   starts_at=at(fair, d, h), ends_at=at(fair, d, h, 30)))  # fmt: skip
    db.session.commit()
    exhibitor = db.session.get(type(exhibitor), exhibitor.id)
    _ = exhibitor.participation
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        slots = free_meeting_slots(exhibitor, at(fair, 0, 0), at(fair, 2, 23), now_utc())
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 3
    assert len(slots) == 3 * (8 - 3)  # 8 slots a day; 10:00, 13:00 and 14:00 booked
