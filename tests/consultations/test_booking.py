"""Booking, any-advisor routing, reschedule and cancel rules (services)."""

from datetime import time, timedelta

import pytest
from sqlalchemy import func, select

from booking.consultations.models import Consultation
from booking.consultations.services import (
    Intake,
    cancel_consultation,
    last_advisor_id,
    reschedule_consultation,
)
from booking.consultations.slots import free_slots
from booking.errors import Invalid, NotAllowed, SlotTaken
from booking.extensions import db
from booking.timefmt import as_utc
from tests.consultations.conftest import NOW, jst

TUE_10 = jst(2026, 6, 2, 10)


def count():
    return db.session.scalar(select(func.count()).select_from(Consultation))


@pytest.mark.parametrize(
    ("start", "code"),
    [
        (jst(2026, 5, 29, 10), "slot_in_past"),
        (jst(2026, 6, 1, 14), "too_soon"),
        (jst(2026, 9, 1, 10), "beyond_horizon"),
        (jst(2026, 6, 2, 18), "not_available"),
        (jst(2026, 6, 2, 10, 15), "not_available"),
        (jst(2026, 7, 20, 10), "closed_day"),
    ],
)
def test_a_bad_start_is_refused_with_a_code_and_leaves_no_row(
    make_advisor, theme, member, book, start, code
):
    advisor = make_advisor()
    theme(horizon_days=60)
    with pytest.raises(Invalid) as err:
        book(member, start, advisor)
    assert err.value.code == code
    db.session.rollback()
    assert count() == 0


def test_a_taken_slot_is_refused_as_slot_taken(make_advisor, member, make_user, book):
    advisor = make_advisor()
    book(member, TUE_10, advisor)
    with pytest.raises(SlotTaken):
        book(make_user("member"), TUE_10, advisor)
    db.session.rollback()
    assert count() == 1


def test_a_topic_is_required(make_advisor, member, book):
    advisor = make_advisor()
    with pytest.raises(Invalid) as err:
        book(member, TUE_10, advisor, intake=Intake(topic="  "))
    assert err.value.code == "topic_required"


def test_guests_cannot_book(make_advisor, make_user, book):
    advisor = make_advisor()
    with pytest.raises(NotAllowed):
        book(make_user("guest"), TUE_10, advisor)


def test_any_advisor_goes_to_the_lowest_load_that_week(make_advisor, member, make_user, book):
    busy = make_advisor()
    quiet = make_advisor()
    book(member, jst(2026, 6, 3, 10), busy)  # busy has one booking this week
    chosen = book(make_user("member"), TUE_10)
    assert chosen.advisor_id == quiet.id


def test_any_advisor_ties_go_to_the_lowest_id_and_skip_busy_advisors(
    make_advisor, member, make_user, book
):
    first = make_advisor()
    second = make_advisor()
    assert book(member, TUE_10).advisor_id == first.id
    assert book(make_user("member"), TUE_10).advisor_id == second.id
    with pytest.raises(SlotTaken):
        book(make_user("member"), TUE_10)


def test_any_advisor_only_considers_the_theme_specialists(make_advisor, member, book):
    make_advisor(themes=("succession",))
    expert = make_advisor(themes=("finance",))
    assert book(member, TUE_10, theme="finance").advisor_id == expert.id


def test_same_advisor_as_last_time(make_advisor, member, book):
    make_advisor()
    second = make_advisor()
    book(member, TUE_10, second)
    assert last_advisor_id(member) == second.id


def test_staff_booking_is_exempt_from_notice(make_advisor, member, staff, book):
    advisor = make_advisor()
    c = book(member, jst(2026, 6, 1, 13), advisor, booked_by=staff)
    assert c.booked_by_id == staff.id


def test_reschedule_frees_the_old_slot(make_advisor, member, theme, book):
    advisor = make_advisor()
    c = book(member, TUE_10, advisor)
    reschedule_consultation(c, jst(2026, 6, 3, 14), NOW, member)
    db.session.commit()
    assert as_utc(c.starts_at) == jst(2026, 6, 3, 14) and c.sequence == 1
    free = [
        s.start
        for s in free_slots(
            theme(),
            TUE_10,
            TUE_10 + timedelta(hours=1),
            NOW,
            advisor_id=advisor.id,
            channel_slug="online",
        )
    ]
    assert free == [TUE_10]


def test_reschedule_after_the_cut_off_is_refused_for_members(make_advisor, member, staff, book):
    advisor = make_advisor()
    c = book(member, TUE_10, advisor)
    late = TUE_10 - timedelta(hours=2)
    with pytest.raises(NotAllowed) as err:
        reschedule_consultation(c, jst(2026, 6, 4, 10), late, member)
    assert err.value.code == "cutoff_passed"
    reschedule_consultation(c, jst(2026, 6, 4, 10), late, staff)
    assert as_utc(c.starts_at) == jst(2026, 6, 4, 10)


def test_reschedule_onto_a_taken_slot_is_refused(make_advisor, member, make_user, book):
    advisor = make_advisor()
    mine = book(member, TUE_10, advisor)
    book(make_user("member"), jst(2026, 6, 2, 11), advisor)
    with pytest.raises(SlotTaken):
        reschedule_consultation(mine, jst(2026, 6, 2, 11), NOW, member)


def test_cancel_frees_the_slot_at_once(make_advisor, member, make_user, book):
    advisor = make_advisor()
    c = book(member, TUE_10, advisor)
    cancel_consultation(c, NOW, member)
    db.session.commit()
    assert c.status == "cancelled" and not c.late_cancellation and c.sequence == 1
    assert book(make_user("member"), TUE_10, advisor).advisor_id == advisor.id


def test_cancel_after_the_cut_off_is_flagged_late(make_advisor, member, book):
    advisor = make_advisor()
    c = book(member, TUE_10, advisor)
    cancel_consultation(c, TUE_10 - timedelta(hours=3), member)
    assert c.status == "cancelled" and c.late_cancellation


def test_staff_cancelling_late_is_not_flagged(make_advisor, member, staff, book):
    advisor = make_advisor()
    c = book(member, TUE_10, advisor)
    cancel_consultation(c, TUE_10 - timedelta(hours=3), staff)
    assert not c.late_cancellation


def test_members_cannot_cancel_once_started(make_advisor, member, book):
    advisor = make_advisor()
    c = book(member, TUE_10, advisor)
    with pytest.raises(NotAllowed) as err:
        cancel_consultation(c, TUE_10 + timedelta(minutes=5), member)
    assert err.value.code == "started"


def test_mixed_slot_lengths_never_overlap(make_advisor, member, make_user, theme, book):
    advisor = make_advisor(themes=("management", "finance"), hours=[(1, time(10), time(12))])
    theme("finance", slot_minutes=30)
    book(member, TUE_10, advisor)  # management, 60 minutes
    with pytest.raises(SlotTaken):
        book(make_user("member"), jst(2026, 6, 2, 10, 30), advisor, theme="finance")
    db.session.rollback()
    assert book(make_user("member"), jst(2026, 6, 2, 11), advisor, theme="finance")


def test_feed_rows_cover_member_and_advisor_and_recent_cancellations(
    make_advisor, member, make_user, book
):
    from booking.consultations.feed import consultations_for_feed
    from booking.consultations.policy import join_url

    advisor = make_advisor()
    kept = book(member, TUE_10, advisor)
    gone = book(member, jst(2026, 6, 3, 10), advisor)
    cancel_consultation(gone, NOW, member)
    db.session.commit()
    assert {c.id for c in consultations_for_feed(member, NOW)} == {kept.id, gone.id}
    assert {c.id for c in consultations_for_feed(advisor.user, NOW)} == {kept.id, gone.id}
    assert consultations_for_feed(member, NOW + timedelta(days=120)) == []
    assert consultations_for_feed(make_user("member"), NOW) == []
    assert join_url(kept) == advisor.video_url
