"""Manual promotion racing the automatic one on PostgreSQL: staff promoting named people while
attendees cancel and another staff member raises the capacity. Never above capacity, nobody
promoted twice, the seat count equal to the confirmed registrations."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from booking.accounts.models import User
from booking.events.models import Frame, Registration, StaffAction
from booking.events.registrations import cancel_registration, register_for_frame
from booking.events.staff_actions import change_capacity_by
from booking.events.waitlist import promote_named
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import make_app
from tests.events.test_concurrency import Sampler, _counts, _people, _run_all

pytestmark = pytest.mark.postgres


class OneSnapshotSampler(Sampler):
    """Reads seats, capacity and confirmed count in one statement (one snapshot): the capacity
    changes during this race, so two statements could pair an old capacity with new seats."""

    def run(self):
        confirmed = (
            select(func.count())
            .where(Registration.frame_id == self.frame_id, Registration.status == "confirmed")
            .scalar_subquery()
        )
        with self.app.app_context():
            while not self.stop.is_set():
                taken, capacity, seated = db.session.execute(
                    select(Frame.taken, Frame.capacity, confirmed).where(Frame.id == self.frame_id)
                ).one()
                db.session.rollback()
                self.samples += 1
                if taken > capacity or seated > capacity or taken != seated:
                    self.violations.append((taken, seated, capacity))
            db.session.remove()


@pytest.mark.parametrize("round_", range(3))
def test_manual_promotions_racing_cancellations_and_a_capacity_raise(
    make_event, make_user, postgres_url, staff, round_
):  # fmt: skip
    event = make_event(capacity=4, per_company_limit=1)
    frame_id, staff_id = event.frames[0].id, staff.id
    a1 = make_user("member")
    a2, a3 = (make_user("member", company=a1.company) for _ in range(2))
    others = [db.session.get(User, i) for i in _people(6)]  # B, C, D seated; E, F, G waiting
    event.frames[0].per_company_limit = None  # A's colleagues register, then the limit holds
    db.session.commit()
    regs = {}
    for name, user in zip(("A1", "B", "C", "D"), [a1, *others[:3]], strict=True):
        regs[name] = register_for_frame(user, event.id, frame_id, {}, now_utc())
    for name, user in zip(("A2", "A3", "E", "F", "G"), [a2, a3, *others[3:]], strict=True):
        regs[name] = register_for_frame(user, event.id, frame_id, {}, now_utc())
    db.session.get(Frame, frame_id).per_company_limit = 1
    db.session.commit()
    assert _counts(frame_id) == {"confirmed": 4, "waitlisted": 5}
    ids = {name: reg.id for name, reg in regs.items()}
    worker = make_app(postgres_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 8, "max_overflow": 0})

    def act(item):
        kind, name = item
        staff_member = db.session.get(User, staff_id)
        if kind == "cancel":
            reg = db.session.get(Registration, ids[name])
            return ("cancel", [p.id for p in cancel_registration(reg, now_utc(), by_staff=True)])
        if kind == "capacity":
            frame = db.session.get(Frame, frame_id)
            return (
                "capacity",
                [p.id for p in change_capacity_by(frame, 6, now_utc(), by=staff_member)],
            )
        reg = db.session.get(Registration, ids[name])
        promote_named(reg, by=staff_member, now=now_utc(), reason="来賓の随行者")
        return ("manual", [reg.id])

    work = [("cancel", "B"), ("cancel", "C"), ("capacity", None),
            ("manual", "A2"), ("manual", "A3"), ("manual", "G")]  # fmt: skip
    with OneSnapshotSampler(worker, frame_id) as sampler:
        results, errors = _run_all(worker, act, work, workers=len(work))
    assert sampler.violations == []
    assert set(errors) <= {"no_free_seat", "not_waitlisted"}
    db.session.expire_all()
    frame = db.session.get(Frame, frame_id)
    confirmed = db.session.scalar(
        select(func.count()).where(
            Registration.frame_id == frame_id, Registration.status == "confirmed"
        )
    )
    assert frame.capacity == 6 and frame.taken == confirmed <= 6
    promoted = [pid for r in results if r for pid in r[1]]
    assert len(promoted) == len(set(promoted)), "nobody promoted twice"
    # Two seats freed by cancellations, two added: each went to one person, or stays free only
    # when nobody eligible was waiting at that moment.
    assert confirmed == 4 - 2 + len(promoted)
    manual = db.session.scalar(
        select(func.count()).where(StaffAction.event_id == event.id, StaffAction.action == "promote",
                                   StaffAction.reason == "来賓の随行者")
    )  # fmt: skip
    assert manual == sum(1 for r in results if r and r[0] == "manual")
