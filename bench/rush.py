"""Registration rush: gunicorn (4 workers) + PostgreSQL, over the JSON API.

    .venv/bin/python bench/rush.py                 # the rush of issue 15 (well under a minute)
    .venv/bin/python bench/rush.py --burst         # and the burst: 3,000 from 300 clients
    .venv/bin/python bench/rush.py --pgbouncer     # through a PgBouncer (transaction pooling)
    .venv/bin/python bench/rush.py --full          # 5,000 events / 50,000 registrations list test
    .venv/bin/python bench/rush.py --preload       # gunicorn --preload (workers share the app)
    .venv/bin/python bench/rush.py --redis         # rate limits in a Redis (REDIS_URL), as deployed

Warm-up (not measured): 60 registrations for another event's 10 seats from 10 clients, as
         `peers/pretix_rush.sh` warms pretix (60 orders on a 10-seat event) before its runs.
Phase 1: the same rig's `GET /healthz` rate (the baseline).
Phase 2: the rush: N registrations (default 300) from C concurrent clients (default 50), one
         token each, for one S-seat frame (default 50): requests/s, p50/p99, confirmed/waitlisted
         (must be exactly S/N-S), 5xx (must be 0), ratio to /healthz (target ≥ 30 %), p99
         (target < 300 ms), and where the server's time went (`bench/server_timing.py`: CPU,
         SQL statements and their time, the seat UPDATE with its row-lock wait, how long the
         lock is held until the commit, the commit), for confirmed and waitlisted answers apart.
         Then each gunicorn worker's memory (VmRSS, /proc/<pid>/status; target ≤ 120 MB).
Phase 2a (--sold-out): the same rush for a new frame without a waitlist, as pretix's rush is
         (its quota has none): exactly S confirmed, N-S answered 409 sold out, 0 5xx.
Phase 2b (--burst): 3,000 registrations from 300 clients for a 500-seat frame: 0 5xx, exact
         counts, p99 (target < 2 s).
Phase 3: the event list page with many published events and registrations: p95 (target < 150 ms).

Run it a few times: the machine is shared, so only the ratios of one run compare.

It creates (and drops) its own database `<prefix>_bench` on the given server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.breakdown import Breakdown  # noqa: E402
from bench.pgbouncer import PgBouncer  # noqa: E402
from bench.rush_seed import seed  # noqa: E402
from bench.workers import worker_memory  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Client:
    """One keep-alive-when-possible HTTP connection per thread."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, body=None, headers=None) -> tuple[int, float]:
        """(status, seconds)."""
        status, secs, _, _ = self.exchange(method, path, body, headers)
        return status, secs

    def exchange(
        self, method: str, path: str, body=None, headers=None
    ) -> tuple[int, float, dict, bytes]:
        """(status, seconds, lower-cased headers, body)."""
        data = json.dumps(body).encode() if body is not None else None
        h = dict(headers or {})
        if data is not None:
            h["Content-Type"] = "application/json"
        start = time.perf_counter()
        answer_headers: dict[str, str] = {}
        payload = b""
        try:
            self.conn.request(method, path, body=data, headers=h)
            resp = self.conn.getresponse()
            payload = resp.read()
            status = resp.status
            answer_headers = {k.lower(): v for k, v in resp.getheaders()}
            if resp.getheader("Connection", "").lower() == "close":
                self.conn.close()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            status = 599
        return status, time.perf_counter() - start, answer_headers, payload


def run_load(
    port: int, jobs: list[tuple], clients: int, breakdown: Breakdown | None = None
) -> tuple[float, list[float], list[int]]:
    """Run (method, path, body, headers) jobs from `clients` threads; returns (secs, lat, statuses).

    With `breakdown`, each answer's server timing is added under its JSON `status` (or "other").
    """
    local = threading.local()
    lat: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def one(job):
        if not hasattr(local, "client"):
            local.client = Client(port)
        status, secs, headers, payload = local.client.exchange(*job)
        with lock:
            lat.append(secs)
            statuses.append(status)
            if breakdown is not None:
                breakdown.add(outcome(status, payload), headers)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, jobs))
    return time.perf_counter() - start, lat, statuses


def outcome(status: int, payload: bytes) -> str:
    if status >= 300:
        return str(status)
    try:
        return str(json.loads(payload).get("status", status))
    except (ValueError, AttributeError):
        return str(status)


def make_database(server_url: str, name: str) -> str:
    import psycopg

    admin = server_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    admin = server_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def counts(url: str, frame_id: int) -> tuple[int, int, int, int]:
    import psycopg

    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        rows = dict(conn.execute(
            "SELECT status, count(*) FROM registrations WHERE frame_id = %s GROUP BY status", (frame_id,)
        ).fetchall())  # fmt: skip
        taken, capacity = conn.execute(
            "SELECT taken, capacity FROM frames WHERE id = %s", (frame_id,)
        ).fetchone()
    return rows.get("confirmed", 0), rows.get("waitlisted", 0), taken, capacity


def rush(
    port: int,
    url: str,
    data: dict,
    registrations: int,
    clients: int,
    seats: int,
    healthz_rps: float,
    label: str,
    workers: int,
    waitlist: bool = True,
) -> bool:
    """One rush on one frame; prints its figures and returns whether its counts are exact.
    Without a waitlist, those without a seat must each be answered 409 (sold out)."""
    path = f"/api/v1/events/{data['event']}/registrations"
    tokens = data["tokens"][data["used"] : data["used"] + registrations]
    data["used"] += registrations
    jobs = [("POST", path, {"frame": data["frame"], "answers": {}}, {"Authorization": f"Bearer {t}"})
            for t in tokens]  # fmt: skip
    breakdown = Breakdown()
    secs, lat, statuses = run_load(port, jobs, clients, breakdown)
    rps = len(lat) / secs
    confirmed, waitlisted, taken, capacity = counts(url, data["frame"])
    five = sum(1 for s in statuses if s >= 500)
    p50, p99 = pct(lat, 50) * 1000, pct(lat, 99) * 1000
    print(f"{label}: {rps:.0f} registrations/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms "
          f"({registrations} requests, {clients} clients, {workers} workers, {seats} seats)")  # fmt: skip
    print(f"  statuses: { {s: statuses.count(s) for s in sorted(set(statuses))} }, 5xx: {five}")
    print(f"  confirmed/waitlisted: {confirmed}/{waitlisted} (frame taken {taken}/{capacity})")
    print(f"  ratio to /healthz: {rps / healthz_rps:.2f} (target ≥ 0.30)")
    report = breakdown.report()
    if report:
        print("  where the server's time went (mean per request):")
        print(report)
    left_over = max(registrations - seats, 0)
    expected = (min(seats, registrations), left_over if waitlist else 0)
    refused = 0 if waitlist else left_over
    return (
        (confirmed, waitlisted) == expected
        and statuses.count(409) == refused
        and five == 0
        and taken == confirmed <= capacity
    )


WARM_UP = 60


def warm_up(port: int, data: dict) -> bool:
    """60 registrations for another event's 10 seats, not measured: a new server's registration
    path is warmed as `peers/pretix_rush.sh` warms pretix's order path before its runs."""
    path = f"/api/v1/events/{data['warm_event']}/registrations"
    tokens = data["tokens"][data["used"] : data["used"] + WARM_UP]
    data["used"] += WARM_UP
    jobs = [("POST", path, {"frame": data["warm_frame"], "answers": {}}, {"Authorization": f"Bearer {t}"})
            for t in tokens]  # fmt: skip
    statuses = run_load(port, jobs, 10)[2]
    print(f"warm-up (not measured): {WARM_UP} registrations for a 10-seat event, statuses "
          f"{ {s: statuses.count(s) for s in sorted(set(statuses))} }")  # fmt: skip
    return set(statuses) == {201}


def add_frame(url: str, event_id: int, seats: int, waitlist: bool = True) -> int:
    """Another frame on the rush event (the burst's, the sold-out rush's), so each phase counts
    its own."""
    import psycopg

    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        return conn.execute(
            "INSERT INTO frames (event_id, position, name, mode, audience, capacity, taken,"
            " price_label, lottery, waitlist) VALUES (%s, 1, 'バースト', 'in_person', 'all', %s, 0,"
            " '無料', false, %s) RETURNING id",
            (event_id, seats, waitlist),
        ).fetchone()[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/tsunagu_events"))  # fmt: skip
    ap.add_argument("--registrations", type=int, default=300)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seats", type=int, default=50)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--healthz", type=int, default=2000, help="requests in the baseline phase")
    ap.add_argument("--burst", action="store_true", help="also 3,000 registrations, 300 clients")
    ap.add_argument("--sold-out", action="store_true",
                    help="also the rush for a frame without a waitlist (pretix's rush: the rest "
                         "are refused, sold out)")  # fmt: skip
    ap.add_argument("--pgbouncer", action="store_true",
                    help="run the app through a PgBouncer in transaction-pooling mode")  # fmt: skip
    ap.add_argument("--preload", action="store_true",
                    help="gunicorn --preload: the app is built once and the workers share it")  # fmt: skip
    ap.add_argument("--redis", action="store_true",
                    help="start a redis-server and set REDIS_URL (the rate limits' storage)")  # fmt: skip
    ap.add_argument("--no-timing", action="store_true",
                    help="serve wsgi:app without the per-request timing headers")  # fmt: skip
    ap.add_argument("--list-events", type=int, default=1000)
    ap.add_argument("--list-registrations", type=int, default=10000)
    ap.add_argument("--list-requests", type=int, default=200)
    ap.add_argument("--full", action="store_true", help="5,000 events with 50,000 registrations")
    args = ap.parse_args()
    if args.full:
        args.list_events, args.list_registrations = 5000, 50000
    burst = (3000, 300, 500) if args.burst else None
    name = args.database_url.rsplit("/", 1)[1] + "_bench"
    url = make_database(args.database_url, name)
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32),
           "SCHEDULER_ENABLED": "0", "MAIL_BACKEND": "console", "TSUNAGU_ENV": "development",
           "API_RATE_LIMIT": "100000 per minute", "PYTHONUNBUFFERED": "1"}  # fmt: skip
    bin_dir = Path(sys.executable).parent
    server = bouncer = redis = None
    try:
        subprocess.run([str(bin_dir / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                       check=True, capture_output=True)  # fmt: skip
        t0 = time.perf_counter()
        people = (
            WARM_UP + args.registrations * (2 if args.sold_out else 1) + (burst[0] if burst else 0)
        )
        data = seed(url, max(people, 1000), args.seats, args.list_events, args.list_registrations)
        data["used"] = 0
        print(f"seeded {people} people, {args.list_events} events, "
              f"{args.list_registrations} registrations in {time.perf_counter() - t0:.1f} s")  # fmt: skip
        if args.pgbouncer:
            bouncer = PgBouncer(url)
            bouncer.start()
            env["DATABASE_URL"] = bouncer.url
            env["DATABASE_PGBOUNCER"] = "1"
            print(f"through PgBouncer (transaction pooling) on port {bouncer.port}")
        if args.redis:
            redis_port = free_port()
            redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL)  # fmt: skip
            env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        limits = "Redis (REDIS_URL)" if env.get("REDIS_URL") else "each worker's memory"
        print(f"rate limits counted in {limits}")
        port = free_port()
        entry = "wsgi:app" if args.no_timing else "bench.server_timing:app"
        server = subprocess.Popen(
            [str(bin_dir / "gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
             "--log-level", "warning", *(["--preload"] if args.preload else []), entry],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        for _ in range(120):
            try:
                if Client(port).call("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.25)
        # Warm every worker up (imports, connection pools) before measuring.
        run_load(port, [("GET", "/healthz")] * 200, args.clients)
        run_load(port, [("GET", "/events/")] * 20, 4)
        warmed = warm_up(port, data)

        secs, lat, statuses = run_load(port, [("GET", "/healthz")] * args.healthz, args.clients)
        healthz_rps = len(lat) / secs
        print(f"/healthz: {healthz_rps:.0f} req/s, p50 {pct(lat, 50) * 1000:.1f} ms, "
              f"p99 {pct(lat, 99) * 1000:.1f} ms ({args.healthz} requests, {args.clients} clients)")  # fmt: skip

        ok = rush(port, url, data, args.registrations, args.clients, args.seats, healthz_rps,
                  "rush", args.workers) and warmed  # fmt: skip
        print(worker_memory(server.pid))
        if args.sold_out:
            data["frame"] = add_frame(url, data["event"], args.seats, waitlist=False)
            ok = rush(port, url, data, args.registrations, args.clients, args.seats, healthz_rps,
                      "sold-out rush", args.workers, waitlist=False) and ok  # fmt: skip
        if burst:
            data["frame"] = add_frame(url, data["event"], burst[2])
            ok = rush(port, url, data, *burst, healthz_rps, "burst", args.workers) and ok
            print("  burst target: 0 5xx, exact counts, p99 < 2 s")

        for label, list_path in (("list page", "/events/"), ("list page, filtered", "/events/?kind=seminar&seats=1"),
                                 ("list page 5", "/events/?page=5")):  # fmt: skip
            secs, lat, statuses = run_load(port, [("GET", list_path)] * args.list_requests, 8)
            print(f"{label} ({args.list_events} events, {args.list_registrations} registrations): "
                  f"p50 {pct(lat, 50) * 1000:.1f} ms, p95 {pct(lat, 95) * 1000:.1f} ms, "
                  f"{len(lat) / secs:.0f} req/s, non-200: {sum(1 for s in statuses if s != 200)} (target p95 < 150 ms)")  # fmt: skip
        print("RESULT:", "OK" if ok else "FAILED (counts or 5xx)")
        return 0 if ok else 1
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
        if bouncer is not None:
            bouncer.stop()
        if redis is not None:
            redis.terminate()
            redis.wait(30)
        drop_database(args.database_url, name)


if __name__ == "__main__":
    sys.exit(main())
