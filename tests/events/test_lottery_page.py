"""The lottery page: the deadline editable before the draw, the draw after it with a seed the
system draws (never a form field) and an optional stated weighting that replays identically."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from booking.events.lottery import FIRST_TIME, NO_SHOW, lottery_applicants_at_draw, run_lottery
from booking.events.models import Registration, StaffAction
from booking.events.passes import check_in
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc, to_local


@pytest.fixture
def history(make_event, make_user):
    """Three companies: one new to the chamber's events, one that came, one that did not."""
    past = make_event(days=-10, capacity=10)
    came, missed = make_user("member"), make_user("member")
    for user in (came, missed):
        past_reg = Registration(
            reference=f"PAST-{user.id:04d}", event_id=past.id, frame_id=past.frames[0].id,
            user_id=user.id, company_id=user.company_id, active_user_id=user.id,
            status="confirmed", pass_token=f"past-{user.id}",
        )  # fmt: skip
        db.session.add(past_reg)
        db.session.flush()
        if user is came:
            check_in(past_reg, past.starts_at)
    db.session.commit()
    return {"new": make_user("member"), "came": came, "missed": missed}


def _lottery(make_event, people, capacity=1):
    event = make_event(capacity=capacity, lottery=True, closes_at=now_utc() + timedelta(days=1))
    regs = {
        k: register_for_frame(u, event.id, event.frames[0].id, {}, now_utc())
        for k, u in people.items()
    }
    db.session.commit()
    return event, regs


def _page(event):
    return f"/staff/events/{event.id}/frames/{event.frames[0].id}/lottery"


def test_the_draw_waits_for_the_deadline_which_staff_can_move(
    staff_client, make_event, make_user, clock
):  # fmt: skip
    event, regs = _lottery(make_event, {"a": make_user("member"), "b": make_user("member")})
    html = staff_client.get(_page(event)).get_data(as_text=True)
    assert "の後に実施できます" in html and 'name="seed"' not in html
    early = staff_client.post(_page(event), data={"weighting": ""})
    assert early.status_code == 422 and "申込締切の後" in early.get_data(as_text=True)
    new_deadline = to_local(now_utc() - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")
    moved = staff_client.post(_page(event) + "/deadline", data={"closes_at": new_deadline})
    assert moved.status_code == 302
    staff_client.post(_page(event), data={"weighting": ""})
    assert sorted(r.status for r in regs.values()) == ["confirmed", "waitlisted"]
    audit = staff_client.get(f"/staff/events/{event.id}/audit").get_data(as_text=True)
    assert "抽選の申込締切の変更" in audit and "抽選の実施" in audit
    assert event.frames[0].lottery_seed in audit  # the seed is shown in the audit log


def test_a_deadline_after_the_start_is_refused_keeping_what_was_typed(
    staff_client, make_event, make_user
):
    event, _ = _lottery(make_event, {"a": make_user("member")})
    late = to_local(event.starts_at + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = staff_client.post(_page(event) + "/deadline", data={"closes_at": late})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "開始より前" in html and late in html


def test_weighting_puts_first_timers_first_and_no_shows_last(app, make_event, history, staff):
    event, regs = _lottery(make_event, history, capacity=1)
    result = run_lottery(
        event.frames[0], now_utc() + timedelta(days=2), staff, weighting="weighted"
    )
    db.session.commit()
    assert result["won"] == 1 and regs["new"].status == "confirmed"
    assert regs["came"].queue_rank < regs["missed"].queue_rank  # the no-show drawn last
    entry = db.session.scalar(select(StaffAction).where(StaffAction.action == "lottery"))
    tiers = entry.after["tiers"]
    assert tiers[str(regs["new"].id)] == FIRST_TIME and tiers[str(regs["missed"].id)] == NO_SHOW


@pytest.mark.parametrize("weighting", ["", "weighted"])
def test_the_same_seed_and_weighting_give_the_same_winners_and_the_replay_matches(
    app, make_event, make_user, history, staff, weighting
):  # fmt: skip
    people = history | {f"p{i}": make_user("member") for i in range(5)}
    orders = []
    for _ in range(2):
        event, _regs = _lottery(make_event, people, capacity=3)
        run_lottery(
            event.frames[0], now_utc() + timedelta(days=2), staff, seed="fixed", weighting=weighting
        )
        db.session.commit()
        replay = lottery_applicants_at_draw(event.frames[0])
        assert [r.status for r in replay[:3]] == ["confirmed"] * 3
        assert [r.queue_rank for r in replay[3:]] == [4, 5, 6, 7, 8]
        orders.append([r.user_id for r in replay])
    assert orders[0] == orders[1]


def test_the_replay_page_states_the_weighting_and_tiers(staff_client, make_event, history, staff):
    event, _ = _lottery(make_event, history, capacity=1)
    run_lottery(event.frames[0], now_utc() + timedelta(days=2), staff, weighting="weighted")
    html = staff_client.get(_page(event) + "/replay").get_data(as_text=True)
    assert "初参加の会社を優先" in html and "過去に無断欠席あり" in html
