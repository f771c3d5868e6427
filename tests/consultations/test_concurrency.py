"""No two active bookings of one advisor overlap, under real concurrency on PostgreSQL."""

from __future__ import annotations

import random
import threading
from datetime import time, timedelta

import pytest
from sqlalchemy import text

from booking.accounts.models import User
from booking.consultations.catalogue import theme_by_slug
from booking.consultations.models import Consultation
from booking.consultations.services import Intake, book_consultation, cancel_consultation
from booking.errors import SlotTaken
from booking.extensions import db
from tests.conftest import make_app
from tests.consultations.conftest import NOW, jst

pytestmark = pytest.mark.postgres

OVERLAPS = text(
    """
    SELECT count(*) FROM consultations a JOIN consultations b
      ON a.advisor_id = b.advisor_id AND a.id < b.id
     AND a.status = 'booked' AND b.status = 'booked'
     AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
    """
)


def _run(url, jobs, workers):
    """Run `jobs` (callables taking nothing, inside an app context) on `workers` threads."""
    app = make_app(url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": workers, "max_overflow": 0})
    queue = list(jobs)
    lock = threading.Lock()
    outcomes: list[str] = []
    gate = threading.Barrier(workers)

    def worker():
        with app.app_context():
            gate.wait()
            while True:
                with lock:
                    if not queue:
                        break
                    job = queue.pop()
                try:
                    outcome = job()
                    db.session.commit()
                except SlotTaken:
                    db.session.rollback()
                    outcome = "taken"
                except Exception as exc:  # anything else is a bug: collected and asserted
                    db.session.rollback()
                    outcome = f"error: {exc!r}"
                outcomes.append(outcome)
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def _booking(member_id, start, advisor_id, theme_slug):
    def job():
        member = db.session.get(User, member_id)
        book_consultation(
            member,
            theme_by_slug(theme_slug),
            "online",
            start,
            NOW,
            advisor_id=advisor_id,
            intake=Intake(topic="同時予約"),
        )
        return "booked"

    return job


def test_fifty_concurrent_bookings_of_one_slot_make_exactly_one(
    postgres_url, make_advisor, make_user
):
    advisor = make_advisor()
    members = [make_user("member").id for _ in range(50)]
    start = jst(2026, 6, 2, 10)
    outcomes = _run(
        postgres_url, [_booking(m, start, advisor.id, "management") for m in members], workers=25
    )
    assert sorted(outcomes).count("booked") == 1
    assert outcomes.count("taken") == 49
    assert db.session.query(Consultation).count() == 1


def test_a_random_run_of_500_mixed_length_bookings_never_overlaps(
    postgres_url, make_advisor, make_user, theme
):
    theme("finance", slot_minutes=30)
    theme("management", slot_minutes=60)
    hours = [(d, time(10), time(12)) for d in range(5)] + [
        (d, time(13), time(17)) for d in range(5)
    ]
    advisors = [make_advisor(themes=("management", "finance"), hours=hours).id for _ in range(3)]
    members = [make_user("member").id for _ in range(40)]
    rng = random.Random(20260601)
    days = [jst(2026, 6, 2) + timedelta(days=d) for d in (0, 1, 2, 3, 7, 8)]
    starts = [
        d + timedelta(hours=h, minutes=m)
        for d in days
        for h in (10, 11, 13, 14, 15, 16)
        for m in (0, 30)
    ]
    jobs = []
    for _ in range(500):
        slug = rng.choice(("management", "finance"))
        start = rng.choice(starts)
        if slug == "management" and start.minute:
            start -= timedelta(minutes=30)
        advisor = rng.choice([*advisors, None])  # None: any advisor
        jobs.append(_booking(rng.choice(members), start, advisor, slug))

    def cancel_one():
        c = (
            db.session.query(Consultation)
            .filter_by(status="booked")
            .order_by(Consultation.id)
            .first()
        )
        if c is None:
            return "nothing"
        cancel_consultation(c, NOW, None)
        return "cancelled"

    for i in range(0, 500, 25):  # cancellations interleaved, so freed slots are re-booked
        jobs.insert(i, cancel_one)
    outcomes = _run(postgres_url, jobs, workers=12)

    errors = [o for o in outcomes if o.startswith("error")]
    assert errors == []
    assert outcomes.count("booked") > 50 and outcomes.count("taken") > 50
    assert db.session.execute(OVERLAPS).scalar() == 0
