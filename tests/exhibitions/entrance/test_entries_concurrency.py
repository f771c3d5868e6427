"""Eight entrances scanning at once on PostgreSQL: no pass is let in twice on a day."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from booking.accounts.services import issue_api_token
from booking.events.models import Registration
from booking.exhibitions.entrance.entries import enter
from booking.exhibitions.models import Entry, Exhibition
from booking.extensions import db
from tests.clock import DOORS_OPEN
from tests.conftest import make_app
from tests.exhibitions.visitors import at, register

pytestmark = pytest.mark.postgres
DOORS = ["東口", "西口", "南口", "北口", "東口2", "西口2", "南口2", "北口2"]


def _fair_with_eight_doors(make_fair):
    fair = make_fair()
    fair.exhibition.entrances = DOORS
    db.session.commit()
    return fair


def _scan_all(app, exhibition_id, scans, now):
    """Each (pass, entrance) in its own thread and session, all starting together."""
    barrier = threading.Barrier(len(scans))

    def one(scan):
        token, entrance = scan
        with app.app_context():
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=60)
            try:
                exhibition = db.session.get(Exhibition, exhibition_id)
                result = enter(exhibition, token, entrance, now)
                db.session.commit()
                return result.outcome, result.entered_by
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(scans)) as pool:
        return list(pool.map(one, scans))


def test_one_pass_scanned_at_eight_entrances_at_once_enters_once(make_fair, member, postgres_url):
    fair = _fair_with_eight_doors(make_fair)
    reg = register(fair, member)
    worker = make_app(postgres_url)
    now = at(fair.days[0], 10)

    results = _scan_all(worker, fair.id, [(reg.pass_token, door) for door in DOORS], now)

    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["already"] * 7 + ["entered"]
    winner = db.session.scalars(select(Entry).where(Entry.registration_id == reg.id)).all()
    assert len(winner) == 1
    # Every "already" names the entrance that won.
    assert {r[1] for r in results} == {winner[0].entrance}


def test_many_passes_at_eight_entrances_each_enter_exactly_once(make_fair, make_user, postgres_url):
    fair = _fair_with_eight_doors(make_fair)
    regs = [register(fair, make_user("member")) for _ in range(6)]
    worker = make_app(postgres_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 24, "max_overflow": 0})
    # Every pass at three doors at once: 18 scans, 6 entries.
    scans = [(r.pass_token, DOORS[(i + k) % 8]) for i, r in enumerate(regs) for k in range(3)]

    results = _scan_all(worker, fair.id, scans, at(fair.days[0], 11))

    assert sorted(r[0] for r in results).count("entered") == 6
    assert sorted(r[0] for r in results).count("already") == 12
    per_pass = dict(
        db.session.execute(
            select(Entry.registration_id, func.count()).group_by(Entry.registration_id)
        ).all()
    )
    assert per_pass == {r.id: 1 for r in regs}


def test_one_pass_at_eight_entrances_over_the_api_enters_once(
    make_fair, member, staff, clock, postgres_url
):
    """The entries API's own path (the fair and the pass in one read, the entry and the
    check-in mark in one statement): one 201, seven 200 naming the winner's entrance."""
    clock.move_to(DOORS_OPEN)
    fair = make_fair(days_ahead=0)
    fair.exhibition.entrances = DOORS
    reg = register(fair, member)
    token = issue_api_token(staff)
    db.session.commit()
    path, pass_token, reg_id = f"/api/v1/exhibitions/{fair.id}/entries", reg.pass_token, reg.id
    worker = make_app(postgres_url)
    barrier = threading.Barrier(len(DOORS))

    def one(door):
        client = worker.test_client()
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=60)
        answer = client.post(path, json={"pass": pass_token, "entrance": door},
                             headers={"Authorization": f"Bearer {token}"})  # fmt: skip
        return answer.status_code, answer.get_json()["entrance"]

    with ThreadPoolExecutor(max_workers=len(DOORS)) as pool:
        results = list(pool.map(one, DOORS))

    assert sorted(status for status, _ in results) == [200] * 7 + [201]
    entries = db.session.scalars(select(Entry).where(Entry.registration_id == reg_id)).all()
    assert len(entries) == 1
    assert {entrance for _, entrance in results} == {entries[0].entrance}
    db.session.expire_all()
    assert db.session.get(Registration, reg_id).checked_in_at is not None
