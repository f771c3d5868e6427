"""The API's limit as a client sees it: the count in the headers down to the 429, on either
storage. The hit brings back what the headers say (one trip to Redis a request)."""

from __future__ import annotations

import itertools
import sys
import threading

import pytest
from limits.storage import MemoryStorage

from booking.accounts.services import issue_api_token
from booking.extensions import db
from booking.ratelimit import SWEEP_EVERY, _memory_hit, sweep
from tests.conftest import make_app


def _bearer(user) -> dict:
    token = issue_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(params=["memory", "redis"])
def limited_app(request, app, database_url):
    if request.param == "memory":
        limited = app
    else:
        limited = make_app(database_url, RATELIMIT_STORAGE_URI=request.getfixturevalue("redis_url"))
    limited.config["API_RATE_LIMIT"] = "3 per minute"
    return limited


def test_the_headers_count_down_to_the_429(limited_app, make_user):
    with limited_app.app_context():
        mine, other = _bearer(make_user("member")), _bearer(make_user("member"))
    client = limited_app.test_client()
    answers = [client.get("/api/v1/me", headers=mine) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[3].json["error"]["code"] == "too_many_requests"
    assert [a.headers["X-RateLimit-Limit"] for a in answers] == ["3"] * 4
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    resets = [int(a.headers["X-RateLimit-Reset"]) for a in answers]
    assert max(resets) - min(resets) <= 1  # one window, its end read back each time
    assert all(0 <= int(a.headers["Retry-After"]) <= 60 for a in answers)
    fresh = client.get("/api/v1/me", headers=other)  # another token, its own window
    assert fresh.status_code == 200 and fresh.headers["X-RateLimit-Remaining"] == "2"


def test_a_second_worker_sees_the_first_ones_count_through_redis(app, database_url, redis_url,
                                                                  make_user):  # fmt: skip
    worker_a = make_app(database_url, RATELIMIT_STORAGE_URI=redis_url, API_RATE_LIMIT="3/minute")
    worker_b = make_app(database_url, RATELIMIT_STORAGE_URI=redis_url, API_RATE_LIMIT="3/minute")
    with worker_a.app_context():
        mine = _bearer(make_user("member"))
    a, b = worker_a.test_client(), worker_b.test_client()
    remaining = [c.get("/api/v1/me", headers=mine).headers["X-RateLimit-Remaining"]
                 for c in (a, b, a)]  # fmt: skip
    assert remaining == ["2", "1", "0"]
    assert b.get("/api/v1/me", headers=mine).status_code == 429


def test_a_worker_counts_in_memory_without_starting_a_thread_a_request(app, client, make_user):
    from booking.extensions import limiter

    headers = _bearer(make_user("member"))
    storage = limiter.storage
    assert isinstance(storage, MemoryStorage)
    storage.timer.join()  # the expiry timer its constructor started has run out
    timer = storage.timer
    answers = [client.get("/api/v1/me", headers=headers) for _ in range(3)]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["599", "598", "597"]
    assert storage.timer is timer  # `MemoryStorage.incr` would have started a new one


def test_a_window_ends_and_the_windows_of_clients_gone_are_swept():
    storage = MemoryStorage()
    assert _memory_hit(storage, "a", 60, 1, now=1000.0) == (1, 1060.0)
    assert _memory_hit(storage, "a", 60, 1, now=1030.0) == (2, 1060.0)
    assert _memory_hit(storage, "b", 5, 1, now=1000.0) == (1, 1005.0)
    sweep(storage, now=1010.0)
    assert set(storage.storage) == {"a"}
    assert _memory_hit(storage, "a", 60, 1, now=1060.0) == (1, 1120.0)  # a new window
    # A hit sweeps the others once `SWEEP_EVERY` seconds passed since the last sweep.
    _memory_hit(storage, "c", 1, 1, now=1061.0)
    _memory_hit(storage, "a", 60, 1, now=1061.0 + SWEEP_EVERY)
    assert set(storage.storage) == {"a"}


def test_hits_from_many_threads_each_get_a_count_of_their_own_across_windows_and_sweeps():
    """A threaded worker: hits on one key from several threads while its windows end and
    sweeps run. No two hits may be answered with the same count in one window (a count lost
    to another thread's increment, as when a sweep dropped the per-key lock a hit held).
    Every hit reads its own instant (a shared counter), so every window has an end of its own
    and (count, end) names one hit, whatever the order the threads run in. A race, so on the
    old code it failed in some runs, not all (3 of 5 here)."""
    storage, threads, hits = MemoryStorage(), 8, 5000
    clock = itertools.count()
    answers: list[tuple[int, float]] = []
    start = threading.Barrier(threads)
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can

    def hit() -> None:
        mine = []
        start.wait()
        for _ in range(hits):
            now = 1000.0 + next(clock) / 20  # a 1-second window: 20 hits
            storage.swept_at = 0.0  # and a sweep in every hit
            mine.append(_memory_hit(storage, "k", 1, 1, now))
        answers.extend(mine)

    try:
        pool = [threading.Thread(target=hit) for _ in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
    finally:
        sys.setswitchinterval(old_interval)
    assert len(answers) == threads * hits
    assert len(set(answers)) == len(answers), "a hit was lost: two hits got the same count"
