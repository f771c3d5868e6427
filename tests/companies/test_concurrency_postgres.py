"""Company administrators under real concurrency (threads with their own connections against
PostgreSQL): the per-company limit holds for proxy and own registrations made at once, and a
seat handed over twice at once goes to one colleague only."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from booking.accounts.models import User
from booking.companies.handover import hand_over_seat
from booking.companies.proxy import register_colleague
from booking.events.models import Frame, Registration
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import make_app
from tests.events.test_concurrency import _run_all

pytestmark = pytest.mark.postgres


def test_an_administrator_and_two_colleagues_registering_at_once_keep_the_limit(
    make_event, postgres_url, make_user, company_people
):
    admin, hanako, jiro = company_people
    proxied = make_user("member", company=admin.company)
    event = make_event(capacity=10, per_company_limit=2)
    frame_id, event_id = event.frames[0].id, event.id
    admin_id, proxied_id = admin.id, proxied.id
    worker = make_app(postgres_url)

    def register(who):
        if who == "proxy":  # the administrator registers a third colleague
            admin = db.session.get(User, admin_id)
            return register_colleague(admin, event_id, frame_id, now_utc(),
                                      colleague_id=proxied_id).status  # fmt: skip
        user = db.session.get(User, who)
        return register_for_frame(user, event_id, frame_id, {}, now_utc()).status

    for _ in range(3):  # a few rounds: each must hold, whoever wins
        db.session.execute(Registration.__table__.delete())
        db.session.execute(Frame.__table__.update().values(taken=0))
        db.session.commit()
        statuses, errors = _run_all(worker, register, ["proxy", admin_id, hanako.id, jiro.id],
                                    workers=4)  # fmt: skip
        assert sorted(s for s in statuses if s) == ["confirmed", "confirmed"]
        assert errors == ["company_limit"] * 2
        active = db.session.scalar(
            select(func.count()).where(Registration.event_id == event_id,
                                       Registration.status == "confirmed")
        )  # fmt: skip
        assert active == 2
        db.session.rollback()


def test_a_seat_handed_to_two_colleagues_at_once_goes_to_one(
    make_event, postgres_url, company_people
):
    admin, hanako, jiro = company_people
    event = make_event(capacity=1)
    held = register_for_frame(admin, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    reg_id, admin_id, frame_id = held.id, admin.id, event.frames[0].id
    worker = make_app(postgres_url)

    def hand_over(to_id):
        reg = db.session.get(Registration, reg_id)
        return hand_over_seat(reg, db.session.get(User, to_id), db.session.get(User, admin_id),
                              now_utc()).user_id  # fmt: skip

    winners, errors = _run_all(worker, hand_over, [hanako.id, jiro.id] * 3, workers=6)
    assert len([w for w in winners if w]) == 1
    assert errors == ["not_confirmed"] * 5
    confirmed = db.session.scalars(
        select(Registration.user_id).where(Registration.frame_id == frame_id,
                                           Registration.status == "confirmed")
    ).all()  # fmt: skip
    assert len(confirmed) == 1 and confirmed[0] in (hanako.id, jiro.id)
    assert db.session.get(Frame, frame_id).taken == 1
