"""Membership claims at the same moment (PostgreSQL): the account row is locked, so parallel
wrong claims are counted one by one (the lock cannot be outrun), and two staff deciding one pending
claim at once decide it once."""

from __future__ import annotations

import threading

import pytest

from booking.accounts.claims import approve_claim, claim_membership, locked_until
from booking.accounts.models import Company, MembershipClaim, User
from booking.errors import DomainError
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import make_app


def _at_once(app, n: int, work) -> list[str]:
    gate, outcomes = threading.Barrier(n), []

    def run(i):
        with app.app_context():
            try:
                gate.wait()
                work(i)
                db.session.commit()
                outcomes.append("done")
            except DomainError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.fixture
def company(app):
    company = Company(name="株式会社つなぐ印刷", member_no="1300099", phone="03-3283-7500")
    db.session.add(company)
    db.session.commit()
    return company


@pytest.mark.postgres
def test_parallel_wrong_claims_cannot_outrun_the_lock(postgres_url, company, make_user):
    guest_id = make_user("guest").id
    app = make_app(postgres_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 7, "max_overflow": 0})
    now = now_utc()

    def wrong(_i):
        claim_membership(db.session.get(User, guest_id), "1300099", "03-9999-0000", now)

    # Seven at once: five are checked (and counted), then the lock refuses the others.
    assert sorted(_at_once(app, 7, wrong)) == ["done"] * 5 + ["refused"] * 2
    db.session.expire_all()
    guest = db.session.get(User, guest_id)
    assert guest.claim_failures == 5 and locked_until(guest, now) is not None


@pytest.mark.postgres
def test_two_staff_deciding_one_claim_decide_it_once(postgres_url, company, make_user):
    guest = make_user("guest")
    claim_id = claim_membership(guest, "1300099", "03-3283-7501", now_utc()).id
    db.session.commit()
    staff_ids = [make_user("staff").id, make_user("staff").id]
    app = make_app(postgres_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 2, "max_overflow": 0})

    def approve(i):
        claim = db.session.get(MembershipClaim, claim_id)
        approve_claim(claim, db.session.get(User, staff_ids[i]), "", now_utc())

    assert sorted(_at_once(app, 2, approve)) == ["done", "refused"]
