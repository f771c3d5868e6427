"""Registration rules: seats, waitlist, duplicates, windows, audiences, company limits."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from booking.errors import AlreadyRegistered, Conflict, Full, Invalid, NotAllowed, NotFound
from booking.events.models import Registration
from booking.events.registrations import (
    CancelTooLate,
    CompanyLimit,
    WindowClosed,
    cancel_registration,
    change_capacity,
    register_for_frame,
    waitlist_position,
)
from booking.extensions import db
from booking.timefmt import now_utc


def register(user, event, frame=None, answers=None, now=None, **kw):
    frame = frame or event.frames[0]
    reg = register_for_frame(user, event.id, frame.id, answers or {}, now or now_utc(), **kw)
    db.session.commit()
    return reg


def invariant(frame):
    """taken equals the confirmed count and never passes capacity."""
    db.session.refresh(frame)
    confirmed = db.session.scalar(
        select(func.count()).where(
            Registration.frame_id == frame.id, Registration.status == "confirmed"
        )
    )
    assert frame.taken == confirmed <= frame.capacity


def test_a_free_seat_confirms_with_a_reference_number_and_pass(make_event, member):
    event = make_event(capacity=2)
    reg = register(member, event)
    assert reg.status == "confirmed"
    assert len(reg.reference) == 9 and reg.reference[4] == "-"
    assert len(reg.pass_token) >= 20
    assert event.frames[0].taken == 1
    invariant(event.frames[0])


def test_a_full_frame_waitlists_in_order(make_event, make_user):
    event = make_event(capacity=1)
    register(make_user("member"), event)
    second, third = register(make_user("member"), event), register(make_user("member"), event)
    assert (second.status, third.status) == ("waitlisted", "waitlisted")
    assert (waitlist_position(second), waitlist_position(third)) == (1, 2)


def test_a_full_frame_without_waitlist_refuses(make_event, make_user):
    event = make_event(capacity=1, waitlist=False)
    register(make_user("member"), event)
    with pytest.raises(Full):
        register(make_user("member"), event)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1


def test_registering_twice_is_refused(make_event, member):
    event = make_event()
    register(member, event)
    with pytest.raises(AlreadyRegistered):
        register(member, event)


def test_registering_again_after_cancelling_is_allowed(make_event, member):
    event = make_event()
    first = register(member, event)
    cancel_registration(first, now_utc())
    db.session.commit()
    assert register(member, event).status == "confirmed"


def test_registering_after_the_window_is_refused(make_event, member):
    event = make_event(closes_at=now_utc() - timedelta(hours=1))
    with pytest.raises(WindowClosed):
        register(member, event)


def test_registering_before_the_window_opens_is_refused(make_event, member):
    event = make_event(opens_at=now_utc() + timedelta(days=1))
    with pytest.raises(WindowClosed):
        register(member, event)


def test_a_guest_cannot_take_a_members_frame(make_event, make_user):
    event = make_event(audience="members")
    with pytest.raises(NotAllowed):
        register(make_user("guest"), event)


def test_a_guest_cannot_see_a_member_only_event(make_event, make_user):
    event = make_event(member_only=True)
    with pytest.raises(NotFound):
        register(make_user("guest"), event)


def test_a_cancelled_event_refuses_registrations(make_event, member):
    event = make_event(status="cancelled")
    with pytest.raises(Conflict) as err:
        register(member, event)
    assert err.value.code == "event_cancelled"


def test_a_draft_event_is_not_found(make_event, member):
    with pytest.raises(NotFound):
        register(member, make_event(status="draft"))


def test_the_per_company_limit_is_enforced(make_event, make_user, member):
    event = make_event(per_company_limit=1)
    colleague = make_user("member", company=member.company)
    register(member, event)
    with pytest.raises(CompanyLimit):
        register(colleague, event)


def test_a_missing_required_answer_saves_nothing(make_event, member):
    event = make_event(questions=[dict(label="業種", kind="text", required=True)])
    with pytest.raises(Invalid) as err:
        register(member, event, answers={})
    db.session.rollback()
    assert err.value.field == event.questions[0].key
    assert event.frames[0].taken == 0
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_answers_are_kept_by_question_key(make_event, member):
    event = make_event(
        questions=[
            dict(label="業種", kind="choice", choices=["製造", "小売"], required=True),
            dict(label="関心", kind="checkbox", choices=["DX", "補助金"]),
        ]
    )
    q1, q2 = event.questions
    reg = register(member, event, answers={q1.key: "製造", q2.key: ["DX"]})
    assert reg.answers == {q1.key: "製造", q2.key: ["DX"]}


def test_an_answer_outside_the_choices_is_invalid(make_event, member):
    event = make_event(questions=[dict(label="業種", kind="choice", choices=["製造"])])
    with pytest.raises(Invalid):
        register(member, event, answers={event.questions[0].key: "宇宙"})


def test_in_person_frames_need_the_attestation_when_asked(make_event, member):
    event = make_event(attestation=True)
    with pytest.raises(Invalid):
        register(member, event)
    db.session.rollback()
    assert register(member, event, attestation=True).attestation is True


def test_cancelling_promotes_the_first_waiting_person(make_event, make_user):
    event = make_event(capacity=1)
    first = register(make_user("member"), event)
    second = register(make_user("member"), event)
    register(make_user("member"), event)
    promoted = cancel_registration(first, now_utc())
    db.session.commit()
    assert promoted == [second] and second.status == "confirmed" and second.promoted_at
    assert first.status == "cancelled" and first.active_user_id is None
    invariant(event.frames[0])


def test_promotion_skips_a_company_at_its_limit(make_event, make_user):
    event = make_event(capacity=2, per_company_limit=2)
    a = make_user("member")
    a2 = make_user("member", company=a.company)
    b = make_user("member")
    first, _ = register(a, event), register(a2, event)
    waiting_b = register(b, event)
    cancel_registration(first, now_utc())
    db.session.commit()
    assert waiting_b.status == "confirmed"
    invariant(event.frames[0])


def test_leaving_the_waitlist_frees_no_seat(make_event, make_user):
    event = make_event(capacity=1)
    register(make_user("member"), event)
    waiting = register(make_user("member"), event)
    assert cancel_registration(waiting, now_utc()) == []
    db.session.commit()
    assert event.frames[0].taken == 1


def test_cancelling_twice_is_a_conflict(make_event, member):
    reg = register(member, make_event())
    cancel_registration(reg, now_utc())
    db.session.commit()
    with pytest.raises(Conflict):
        cancel_registration(reg, now_utc())


def test_members_cannot_cancel_after_the_deadline_but_staff_can(make_event, member):
    event = make_event(cancel_until=now_utc() + timedelta(days=1))
    reg = register(member, event)
    later = now_utc() + timedelta(days=2)
    with pytest.raises(CancelTooLate):
        cancel_registration(reg, later)
    cancel_registration(reg, later, by_staff=True)
    db.session.commit()
    assert reg.late_cancel is True


def test_a_capacity_increase_promotes_the_waitlist(make_event, make_user):
    event = make_event(capacity=1)
    register(make_user("member"), event)
    waiting = register(make_user("member"), event)
    change_capacity(event.frames[0], 2, now_utc())
    db.session.commit()
    assert waiting.status == "confirmed"
    invariant(event.frames[0])


def test_capacity_below_the_confirmed_count_is_refused(make_event, make_user):
    event = make_event(capacity=2)
    register(make_user("member"), event)
    register(make_user("member"), event)
    with pytest.raises(Invalid) as err:
        change_capacity(event.frames[0], 1, now_utc())
    assert "2" in str(err.value.message)


def test_every_change_bumps_the_registration_sequence(make_event, make_user):
    event = make_event(capacity=1)
    register(make_user("member"), event)
    first = register(make_user("member"), event)
    assert first.sequence == 0
    change_capacity(event.frames[0], 2, now_utc())
    db.session.commit()
    db.session.refresh(first)
    assert first.sequence == 1 and first.updated_at
