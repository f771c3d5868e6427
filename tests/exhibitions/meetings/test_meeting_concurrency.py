"""No slot is booked twice, and no visitor is in two meetings at once, under real threads."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from booking.accounts.models import User
from booking.errors import Conflict
from booking.exhibitions.meetings.services import book_meeting
from booking.exhibitions.models import Exhibitor, Meeting
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import make_app
from tests.exhibitions.meeting_helpers import at, register, visitor

pytestmark = pytest.mark.postgres

OVERLAPS = text(
    """
    SELECT count(*) FROM exhibition_meetings a JOIN exhibition_meetings b
      ON a.id < b.id AND a.status = 'booked' AND b.status = 'booked'
     AND (a.exhibitor_id = b.exhibitor_id OR a.visitor_id = b.visitor_id)
     AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
    """
)


def _run(url, jobs):
    """Run each job on its own thread, all released at once; returns their outcomes."""
    app = make_app(url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": len(jobs), "max_overflow": 0})
    gate = threading.Barrier(len(jobs))
    outcomes: list[str] = []

    def worker(job):
        with app.app_context():
            gate.wait()
            try:
                job()
                db.session.commit()
                outcomes.append("booked")
            except Conflict as exc:
                db.session.rollback()
                outcomes.append(exc.code)
            except Exception as exc:  # anything else is a bug: collected and asserted
                db.session.rollback()
                outcomes.append(f"error: {exc!r}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def _booking(visitor_id, exhibitor_id, start):
    def job():
        user = db.session.get(User, visitor_id)
        exhibitor = db.session.get(Exhibitor, exhibitor_id)
        book_meeting(user, exhibitor, start, "booth", now_utc(), topic="同時予約")

    return job


def test_twenty_visitors_racing_for_one_slot_make_exactly_one_meeting(
    postgres_url, make_fair, make_exhibitor, make_user
):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair)
    visitors = [visitor(make_user, fair).id for _ in range(20)]
    start = at(fair, 0, 13, 30)
    outcomes = _run(postgres_url, [_booking(v, exhibitor.id, start) for v in visitors])
    assert outcomes.count("booked") == 1
    assert outcomes.count("slot_taken") == 19, outcomes
    assert db.session.query(Meeting).count() == 1


def test_one_visitor_booking_several_exhibitors_at_once_gets_exactly_one(
    postgres_url, make_fair, make_exhibitor, make_user
):
    fair = make_fair()
    exhibitors = [make_exhibitor(fair)[0].id for _ in range(8)]
    guest = make_user("member")
    register(fair, guest)
    start = at(fair, 1, 14)
    outcomes = _run(postgres_url, [_booking(guest.id, x, start) for x in exhibitors])
    assert outcomes.count("booked") == 1
    assert outcomes.count("visitor_busy") == 7, outcomes
    assert db.session.query(Meeting).filter_by(visitor_id=guest.id).count() == 1


def test_a_crowd_of_mixed_bookings_never_overlaps(
    postgres_url, make_fair, make_exhibitor, make_user
):
    fair = make_fair()
    exhibitors = [make_exhibitor(fair)[0].id for _ in range(3)]
    visitors = [visitor(make_user, fair).id for _ in range(6)]
    starts = [at(fair, 0, 13), at(fair, 0, 13, 30), at(fair, 0, 14)]
    jobs = [_booking(v, x, s) for v in visitors for x in exhibitors for s in starts]
    outcomes = _run(postgres_url, jobs[:30])
    assert [o for o in outcomes if o.startswith("error")] == []
    assert outcomes.count("booked") >= 3
    assert db.session.execute(OVERLAPS).scalar() == 0
