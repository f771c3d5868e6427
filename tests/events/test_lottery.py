"""Lottery (抽選): applications, a draw after the deadline with a recorded, reproducible seed."""

from datetime import timedelta

import pytest

from booking.errors import Conflict
from booking.events.lottery import lottery_applicants_at_draw, run_lottery
from booking.events.registrations import cancel_registration, register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc


@pytest.fixture
def lottery_event(make_event):
    def factory(capacity=2, applicants=(), **kw):
        event = make_event(
            capacity=capacity, lottery=True, closes_at=now_utc() + timedelta(days=1), **kw
        )
        regs = [
            register_for_frame(u, event.id, event.frames[0].id, {}, now_utc()) for u in applicants
        ]
        db.session.commit()
        return event, regs

    return factory


def _after_deadline(event):
    """Two days on: applications closed a day before, the event is five days ahead."""
    return now_utc() + timedelta(days=2)


def test_lottery_frames_take_applications(lottery_event, make_user):
    event, regs = lottery_event(applicants=[make_user("member") for _ in range(3)])
    assert [r.status for r in regs] == ["applied"] * 3
    assert event.frames[0].taken == 0


def test_the_draw_waits_for_the_deadline(lottery_event, make_user, staff):
    event, _ = lottery_event(applicants=[make_user("member")])
    with pytest.raises(Conflict):
        run_lottery(event.frames[0], now_utc(), staff)


def test_the_draw_confirms_up_to_capacity_and_waitlists_the_rest_in_order(
    lottery_event, make_user, staff
):
    event, regs = lottery_event(capacity=2, applicants=[make_user("member") for _ in range(5)])
    result = run_lottery(event.frames[0], _after_deadline(event), staff, seed="seed-1")
    db.session.commit()
    assert result == {"seed": "seed-1", "won": 2, "waitlisted": 3}
    assert sorted(r.status for r in regs) == ["confirmed"] * 2 + ["waitlisted"] * 3
    assert sorted(r.queue_rank for r in regs if r.status == "waitlisted") == [3, 4, 5]
    assert event.frames[0].taken == 2 and event.frames[0].lottery_drawn_at


def test_the_same_seed_gives_the_same_result(app, make_event, make_user, staff):
    people = [make_user("member") for _ in range(6)]
    winners = []
    for _ in range(2):
        event = make_event(capacity=2, lottery=True, closes_at=now_utc() + timedelta(days=1))
        for u in people:
            register_for_frame(u, event.id, event.frames[0].id, {}, now_utc())
        db.session.commit()
        run_lottery(event.frames[0], _after_deadline(event), staff, seed="same")
        db.session.commit()
        from sqlalchemy import select

        from booking.events.models import Registration

        won = db.session.scalars(
            select(Registration.user_id).where(
                Registration.event_id == event.id, Registration.status == "confirmed"
            )
        ).all()
        winners.append(sorted(won))
    assert winners[0] == winners[1]


def test_the_recorded_seed_replays_the_draw_order(lottery_event, make_user, staff):
    event, _regs = lottery_event(capacity=1, applicants=[make_user("member") for _ in range(4)])
    run_lottery(event.frames[0], _after_deadline(event), staff)
    db.session.commit()
    order = lottery_applicants_at_draw(event.frames[0])
    assert order[0].status == "confirmed"
    assert [r.queue_rank for r in order[1:]] == [2, 3, 4]


def test_the_draw_respects_the_per_company_limit(make_event, make_user, staff):
    event = make_event(
        capacity=3, lottery=True, per_company_limit=5, closes_at=now_utc() + timedelta(days=1)
    )
    boss = make_user("member")
    same_company = [boss] + [make_user("member", company=boss.company) for _ in range(3)]
    for u in same_company:
        register_for_frame(u, event.id, event.frames[0].id, {}, now_utc())
    event.frames[0].per_company_limit = 1
    db.session.commit()
    result = run_lottery(event.frames[0], _after_deadline(event), staff, seed="x")
    assert result["won"] == 1


def test_a_second_draw_is_refused(lottery_event, make_user, staff):
    event, _ = lottery_event(applicants=[make_user("member")])
    run_lottery(event.frames[0], _after_deadline(event), staff)
    with pytest.raises(Conflict):
        run_lottery(event.frames[0], _after_deadline(event), staff)


def test_a_cancelled_winner_promotes_the_first_drawn_loser(lottery_event, make_user, staff):
    event, regs = lottery_event(capacity=1, applicants=[make_user("member") for _ in range(3)])
    run_lottery(event.frames[0], _after_deadline(event), staff, seed="s")
    db.session.commit()
    winner = next(r for r in regs if r.status == "confirmed")
    first_loser = min((r for r in regs if r.status == "waitlisted"), key=lambda r: r.queue_rank)
    cancel_registration(winner, _after_deadline(event) - timedelta(hours=1))
    db.session.commit()
    assert first_loser.status == "confirmed"
