"""Staff raise a frame's capacity while members register and cancel, on PostgreSQL: never
above capacity, and the waitlist moves up exactly (first come, first served, one notice
each). Colleagues racing for the event-wide per-company limit across two frames."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from booking.accounts.models import User
from booking.events.frames import update_frame
from booking.events.models import Event, Frame, Registration
from booking.events.payload import FrameInput
from booking.events.registrations import cancel_registration, register_for_frame
from booking.extensions import db
from booking.notifications.models import OutboxMessage
from booking.timefmt import now_utc
from tests.conftest import make_app
from tests.events.test_concurrency import Sampler, _counts, _people, _run_all

pytestmark = pytest.mark.postgres


class OneSnapshotSampler(Sampler):
    """The Sampler, reading seats, capacity and confirmed rows in one statement (one
    snapshot): the capacity changes during the run, so two reads could straddle a raise."""

    def run(self):
        confirmed = (
            select(func.count())
            .where(Registration.frame_id == self.frame_id, Registration.status == "confirmed")
            .scalar_subquery()
        )
        with self.app.app_context():
            while not self.stop.is_set():
                taken, capacity, count = db.session.execute(
                    select(Frame.taken, Frame.capacity, confirmed).where(Frame.id == self.frame_id)
                ).one()
                db.session.rollback()
                self.samples += 1
                if taken > capacity or count > capacity or count != taken:
                    self.violations.append((taken, count, capacity))
            db.session.remove()


def test_capacity_raised_while_100_register_and_20_cancel(make_event, postgres_url, staff):
    event = make_event(capacity=20)
    frame_id, event_id, staff_id = event.frames[0].id, event.id, staff.id
    people = _people(150)
    holders, waiters, newcomers = people[:20], people[20:50], people[50:]
    regs = [register_for_frame(db.session.get(User, u), event_id, frame_id, {}, now_utc())
            for u in holders + waiters]  # fmt: skip
    db.session.commit()
    assert [r.status for r in regs] == ["confirmed"] * 20 + ["waitlisted"] * 30
    leaving = [r.id for r in regs[:20]]
    queue = [r.id for r in regs[20:]]  # the waitlist, in order
    worker = make_app(
        postgres_url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 40, "max_overflow": 0, "pool_timeout": 120},
    )

    def work(item):
        kind, ref = item
        if kind == "register":
            user = db.session.get(User, ref)
            return register_for_frame(user, event_id, frame_id, {}, now_utc()).status
        if kind == "cancel":
            return len(cancel_registration(db.session.get(Registration, ref), now_utc()))
        promoted = 0
        for capacity in (30, 40, 50):  # the staff member raises it three times
            frame = db.session.get(Frame, frame_id)
            data = FrameInput(name=frame.name, mode=frame.mode, capacity=capacity,
                              audience=frame.audience, waitlist=True)  # fmt: skip
            promoted += len(update_frame(frame, data, db.session.get(User, staff_id), now_utc()))
            db.session.commit()
        return promoted

    items = [("register", u) for u in newcomers] + [("cancel", r) for r in leaving]
    items.insert(len(items) // 2, ("raise", 0))
    with OneSnapshotSampler(worker, frame_id) as sampler:
        _results, errors = _run_all(worker, work, items, workers=40)
    assert errors == []
    assert sampler.samples > 0 and sampler.violations == []

    db.session.expire_all()
    frame = db.session.get(Frame, frame_id)
    assert frame.capacity == 50
    # 130 active for 50 seats: full, and the rest wait.
    assert _counts(frame_id) == {"confirmed": 50, "waitlisted": 80, "cancelled": 20}
    assert frame.taken == 50
    # Promotions exact: the whole earlier waitlist moved up (it was ahead of every newcomer),
    # each person once, with one notice each.
    statuses = dict(db.session.execute(
        select(Registration.id, Registration.status).where(Registration.id.in_(queue))
    ).all())  # fmt: skip
    assert set(statuses.values()) == {"confirmed"}
    promoted = db.session.scalars(
        select(Registration.id).where(
            Registration.frame_id == frame_id, Registration.promoted_at.is_not(None)
        )
    ).all()
    assert set(queue) <= set(promoted)
    notices = db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.dedupe_key.contains(":promoted:"))
    )
    assert notices == len(promoted)
    # Nobody waits while a seat is free, and no newcomer waits ahead of a confirmed one
    # who registered after them without being promoted.
    waiting = db.session.scalars(
        select(Registration.id).where(
            Registration.frame_id == frame_id, Registration.status == "waitlisted"
        )
    ).all()
    assert len(waiting) == 80 and not set(waiting) & set(queue)
    assert db.session.get(Event, event_id).version > 1


def test_colleagues_racing_in_two_frames_respect_the_event_limit(
    make_event, postgres_url, make_user
):
    event = make_event(format="hybrid", online_url="https://meet.example.jp/j/x", frames=[
        dict(name="会場参加", capacity=20, mode="in_person"),
        dict(name="オンライン参加", capacity=20, mode="online"),
    ])  # fmt: skip
    event.per_company_limit = 3
    db.session.commit()
    first = make_user("member")
    ids = [first.id] + [make_user("member", company=first.company).id for _ in range(9)]
    room_id, online_id, event_id = event.frames[0].id, event.frames[1].id, event.id
    worker = make_app(postgres_url)

    def register(item):
        i, user_id = item
        user = db.session.get(User, user_id)
        frame_id = room_id if i % 2 else online_id
        return register_for_frame(user, event_id, frame_id, {}, now_utc()).status

    statuses, errors = _run_all(worker, register, list(enumerate(ids)), workers=10)
    assert sorted(s for s in statuses if s) == ["confirmed"] * 3
    assert errors == ["company_limit"] * 7
    db.session.expire_all()
    active = db.session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.event_id == event_id, Registration.status != "cancelled")
    )
    assert active == 3
