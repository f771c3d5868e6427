"""Exhibitor limit and booth rules under real concurrency: threads with their own
connections against PostgreSQL, started together at a barrier."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from booking.accounts.models import User
from booking.errors import DomainError
from booking.exhibitions.applications.review import review_application
from booking.exhibitions.booths.services import assign_booth
from booking.exhibitions.models import Booth, Exhibition, Exhibitor
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import make_app

pytestmark = pytest.mark.postgres


def _run_together(postgres_url, work, items) -> tuple[list, list[DomainError]]:
    """Run `work(item)` for every item in its own thread, app context and transaction."""
    app = make_app(
        postgres_url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": len(items), "max_overflow": 0, "pool_timeout": 60},
    )
    barrier = threading.Barrier(len(items))
    refusals: list[DomainError] = []

    def one(item):
        with app.app_context():
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=30)
            try:
                result = work(item)
                db.session.commit()
                return result
            except DomainError as exc:
                db.session.rollback()
                refusals.append(exc)
                return None
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        results = [r for r in pool.map(one, items) if r is not None]
    return results, refusals


def test_concurrent_acceptances_stop_at_the_exhibitor_limit(
    make_fair, make_exhibitor, staff, postgres_url
):
    fair = make_fair(exhibitor_limit=5)
    ids = [make_exhibitor(fair, status="applied", hours=False)[0].id for _ in range(16)]
    staff_id, fair_id = staff.id, fair.id

    def accept(exhibitor_id):
        exhibitor = db.session.get(Exhibitor, exhibitor_id)
        return review_application(
            exhibitor, "accept", db.session.get(User, staff_id), "", now_utc()
        ).id

    accepted, refusals = _run_together(postgres_url, accept, ids)
    assert len(accepted) == 5 and len(refusals) == 11
    assert {r.code for r in refusals} == {"limit_reached"}
    db.session.expire_all()
    count = db.session.scalar(
        select(func.count()).where(
            Exhibitor.exhibition_id == fair_id, Exhibitor.status == "accepted"
        )
    )
    assert count == 5
    assert db.session.get(Exhibition, fair_id).exhibitor_limit == 5


def test_two_staff_assigning_one_booth_at_once_one_wins_the_other_is_told_who(
    make_fair, make_exhibitor, make_user, postgres_url
):
    fair = make_fair(booths_per_zone=4)
    exhibitors = [make_exhibitor(fair, hours=False, name=f"株式会社競争{i}")[0] for i in range(8)]
    staff_ids = [make_user("staff").id for _ in exhibitors]
    booths = list(db.session.scalars(select(Booth).where(Booth.exhibition_id == fair.id)))
    names = {e.id: e.name for e in exhibitors}
    exhibitor_ids = [e.id for e in exhibitors]
    booth_ids = [b.id for b in booths]
    fair_id = fair.id
    for booth_id in booth_ids[:3]:  # three rounds: eight staff, eight companies, one booth

        def assign(i, booth_id=booth_id):
            exhibition = db.session.get(Exhibition, fair_id)
            staff = db.session.get(User, staff_ids[i])
            return assign_booth(
                exhibition, booth_id, exhibitor_ids[i], staff, now_utc()
            ).exhibitor_id

        # The earlier rounds' winners are also refused by their own one-booth limit.
        winners, refusals = _run_together(postgres_url, assign, list(range(8)))
        assert len(winners) == 1, (winners, [r.code for r in refusals])
        codes = {r.code for r in refusals}
        assert codes <= {"booth_taken", "booth_limit"} and "booth_taken" in codes
        winner_name = names[winners[0]]
        assert all(winner_name in r.message for r in refusals if r.code == "booth_taken")
        db.session.expire_all()
        assert db.session.get(Booth, booth_id).exhibitor_id == winners[0]
    held = db.session.execute(
        select(Booth.exhibitor_id, func.count())
        .where(Booth.exhibition_id == fair_id, Booth.exhibitor_id.is_not(None))
        .group_by(Booth.exhibitor_id)
    ).all()
    assert len(held) == 3 and all(n == 1 for _id, n in held)


def test_a_company_never_holds_more_booths_than_its_limit(
    make_fair, make_exhibitor, staff, postgres_url
):
    fair = make_fair(booths_per_zone=6)
    exhibitor, _ = make_exhibitor(fair, hours=False, booth_limit=2)
    booth_ids = list(db.session.scalars(select(Booth.id).where(Booth.exhibition_id == fair.id)))
    staff_id, fair_id, exhibitor_id = staff.id, fair.id, exhibitor.id

    def assign(booth_id):
        exhibition = db.session.get(Exhibition, fair_id)
        return assign_booth(
            exhibition, booth_id, exhibitor_id, db.session.get(User, staff_id), now_utc()
        ).id

    won, refusals = _run_together(postgres_url, assign, booth_ids)
    assert len(won) == 2 and len(refusals) == 10
    assert {r.code for r in refusals} == {"booth_limit"}
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(Booth.exhibitor_id == exhibitor_id)) == 2
