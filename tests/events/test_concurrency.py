"""Capacity under real concurrency: threads with their own connections against PostgreSQL."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from booking.accounts.models import Company, User
from booking.errors import DomainError
from booking.events.frame_switch import switch_to_online
from booking.events.models import Frame, Registration
from booking.events.registrations import cancel_registration, register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc
from booking.unit_of_work import run_until_settled
from tests.conftest import make_app

pytestmark = pytest.mark.postgres


def _people(n: int) -> list[int]:
    """n members, each of their own company, inserted in bulk."""
    companies = [Company(name=f"株式会社並行{i}", member_no=f"77{i:05d}") for i in range(n)]
    db.session.add_all(companies)
    db.session.flush()
    users = [
        User(email=f"rush{i}@example.jp", role="member", family_name="並行", given_name=str(i),
             company_id=c.id)
        for i, c in enumerate(companies)
    ]  # fmt: skip
    db.session.add_all(users)
    db.session.commit()
    return [u.id for u in users]


def _counts(frame_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(Registration.status, func.count())
        .where(Registration.frame_id == frame_id)
        .group_by(Registration.status)
    )
    return dict(rows.all())


class Sampler:
    """Reads the committed state over and over while the workers run: never overbooked."""

    def __init__(self, app, frame_id: int):
        self.app, self.frame_id = app, frame_id
        self.stop = threading.Event()
        self.samples = 0
        self.violations: list[tuple[int, int, int]] = []
        self.thread = threading.Thread(target=self.run)

    def run(self):
        with self.app.app_context():
            while not self.stop.is_set():
                taken, capacity = db.session.execute(
                    select(Frame.taken, Frame.capacity).where(Frame.id == self.frame_id)
                ).one()
                confirmed = db.session.scalar(
                    select(func.count()).where(
                        Registration.frame_id == self.frame_id, Registration.status == "confirmed"
                    )
                )
                db.session.rollback()
                self.samples += 1
                if taken > capacity or confirmed > capacity:
                    self.violations.append((taken, confirmed, capacity))
            db.session.remove()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def _run_all(app, work, items, workers: int):
    barrier = threading.Barrier(min(workers, len(items)))
    started = threading.local()
    errors: list[str] = []

    def one(item):
        with app.app_context():
            # Each thread's first item waits for the others' first, so they start together
            # (a later one would wait for a round of items that may never come); a broken
            # barrier (a slow pool) only means "start now".
            if not getattr(started, "once", False):
                started.once = True
                with contextlib.suppress(threading.BrokenBarrierError):
                    barrier.wait(timeout=60)
            try:
                # As the request's unit of work runs a view: a lost rare race runs it again.
                result = run_until_settled(lambda: work(item))
                db.session.commit()
                return result
            except DomainError as exc:
                db.session.rollback()
                errors.append(exc.code)
                return None
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(one, items))
    return results, errors


def test_200_concurrent_registrations_for_50_seats_then_30_cancellations(make_event, postgres_url):
    event = make_event(capacity=50)
    frame_id, event_id = event.frames[0].id, event.id
    user_ids = _people(200)
    worker = make_app(
        postgres_url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 40, "max_overflow": 0, "pool_timeout": 120},
    )

    def register(user_id):
        user = db.session.get(User, user_id)
        return register_for_frame(user, event_id, frame_id, {}, now_utc()).status

    with Sampler(worker, frame_id) as sampler:
        statuses, errors = _run_all(worker, register, user_ids, workers=40)
    assert errors == []
    assert statuses.count("confirmed") == 50 and statuses.count("waitlisted") == 150
    assert _counts(frame_id) == {"confirmed": 50, "waitlisted": 150}
    assert db.session.get(Frame, frame_id).taken == 50
    assert sampler.samples > 0 and sampler.violations == []

    confirmed_ids = db.session.scalars(
        select(Registration.id)
        .where(Registration.frame_id == frame_id, Registration.status == "confirmed")
        .order_by(Registration.id)
        .limit(30)
    ).all()
    first_waiting = db.session.scalars(
        select(Registration.id)
        .where(Registration.frame_id == frame_id, Registration.status == "waitlisted")
        .order_by(Registration.queue_rank, Registration.id)
        .limit(30)
    ).all()
    db.session.rollback()

    def cancel(reg_id):
        reg = db.session.get(Registration, reg_id)
        return [p.id for p in cancel_registration(reg, now_utc())]

    with Sampler(worker, frame_id) as sampler:
        promoted, errors = _run_all(worker, cancel, confirmed_ids, workers=30)
    assert errors == []
    assert all(len(p) == 1 for p in promoted)
    promoted_ids = sorted(p[0] for p in promoted)
    assert len(set(promoted_ids)) == 30
    assert promoted_ids == sorted(first_waiting), "first come, first served"
    assert _counts(frame_id) == {"confirmed": 50, "waitlisted": 120, "cancelled": 30}
    db.session.expire_all()
    assert db.session.get(Frame, frame_id).taken == 50
    assert sampler.violations == []


def test_the_same_person_racing_twice_gets_one_registration(make_event, postgres_url, member):
    event = make_event(capacity=5)
    frame_id, event_id, user_id = event.frames[0].id, event.id, member.id
    worker = make_app(postgres_url)

    def register(_):
        user = db.session.get(User, user_id)
        return register_for_frame(user, event_id, frame_id, {}, now_utc()).status

    statuses, errors = _run_all(worker, register, range(8), workers=8)
    assert [s for s in statuses if s] == ["confirmed"]
    assert errors == ["already_registered"] * 7
    db.session.expire_all()
    assert db.session.get(Frame, frame_id).taken == 1


def test_colleagues_racing_respect_the_company_limit(make_event, postgres_url, make_user):
    event = make_event(capacity=10, per_company_limit=2)
    first = make_user("member")
    ids = [first.id] + [make_user("member", company=first.company).id for _ in range(7)]
    frame_id, event_id = event.frames[0].id, event.id
    worker = make_app(postgres_url)

    def register(user_id):
        user = db.session.get(User, user_id)
        return register_for_frame(user, event_id, frame_id, {}, now_utc()).status

    statuses, errors = _run_all(worker, register, ids, workers=8)
    assert sorted(s for s in statuses if s) == ["confirmed", "confirmed"]
    assert errors == ["company_limit"] * 6


def _hybrid(make_event, room: int, online: int):
    return make_event(
        format="hybrid", online_url="https://meet.example.jp/j/rush",
        frames=[dict(name="会場参加", capacity=room, mode="in_person"),
                dict(name="オンライン参加", capacity=online, mode="online")],
    )  # fmt: skip


def test_20_attendees_racing_to_6_online_seats_never_overbook_either_frame(
    make_event, postgres_url
):
    event = _hybrid(make_event, room=20, online=6)
    room_id, online_id, event_id = event.frames[0].id, event.frames[1].id, event.id
    user_ids = _people(25)
    regs = [register_for_frame(db.session.get(User, u), event_id, room_id, {}, now_utc())
            for u in user_ids]  # fmt: skip
    db.session.commit()
    movers = [r.id for r in regs if r.status == "confirmed"]
    assert len(movers) == 20
    worker = make_app(postgres_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 20, "max_overflow": 0})

    def move(reg_id):
        reg = db.session.get(Registration, reg_id)
        switch_to_online(reg, online_id, now_utc())
        return reg_id

    with Sampler(worker, online_id) as online_sampler, Sampler(worker, room_id) as room_sampler:
        moved, errors = _run_all(worker, move, movers, workers=20)
    assert len([m for m in moved if m]) == 6
    assert errors == ["online_full"] * 14
    db.session.expire_all()
    assert _counts(online_id) == {"confirmed": 6}
    # The 6 seats left in the room went to the 5 waiting, first come first served.
    assert _counts(room_id) == {"confirmed": 19}
    assert db.session.get(Frame, online_id).taken == 6
    assert db.session.get(Frame, room_id).taken == 19
    assert online_sampler.violations == [] and room_sampler.violations == []


def test_the_same_person_moving_twice_at_once_takes_one_online_seat(
    make_event, postgres_url, member
):
    event = _hybrid(make_event, room=5, online=5)
    reg = register_for_frame(member, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    reg_id, online_id, room_id = reg.id, event.frames[1].id, event.frames[0].id
    worker = make_app(postgres_url)

    def move(_):
        switch_to_online(db.session.get(Registration, reg_id), online_id, now_utc())
        return True

    moved, errors = _run_all(worker, move, range(6), workers=6)
    assert moved.count(True) == 1 and errors == ["already_online"] * 5
    db.session.expire_all()
    assert db.session.get(Frame, online_id).taken == 1
    assert db.session.get(Frame, room_id).taken == 0
