"""Door scans in one process: CPU, statements and function calls per scan against /healthz.

    .venv/bin/python bench/scan_profile.py [--database-url URL] [--scans 600]
        [--profile out.prof] [--top 25] [--no-pre-ping] [--no-rate-limit]

Seeds the fair of `bench/exhibition.py` (with fewer visitors) and scans passes through
`POST /api/v1/exhibitions/<id>/entries` with the Flask test client on PostgreSQL, one request
at a time, so the figures hardly depend on how loaded the machine is (unlike the latencies of
`bench/exhibition.py`). Every tenth pass is scanned twice (the second answer is "already").
Every other scan (after twenty for warming up) runs under cProfile (timer: the thread's CPU);
the others are measured bare. It prints, for "entered" and "already" apart: the thread's CPU
per scan, SQL statements per scan by kind, cProfile's calls per profiled scan and the
functions with the most CPU (cumulative); then `/healthz`'s CPU as the baseline. Compare two
checkouts by running it in each, one after the other. `--no-pre-ping` and `--no-rate-limit`
turn off the pool's ping (a `SELECT 1` round trip at each request's checkout, which no
statement count shows) and Flask-Limiter, to show what each costs a request (not settings to
run with: they are measured, not proposed).

It creates (and drops) its own database `<name>_scanprof` on the given server.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import os
import pstats
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LABELS = {201: "entered", 200: "already"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/tsunagu_fairdemo"))  # fmt: skip
    ap.add_argument("--scans", type=int, default=600)
    ap.add_argument("--profile", help="write the cProfile statistics to this file")
    ap.add_argument("--top", type=int, default=25, help="functions listed by cumulative CPU")
    ap.add_argument("--no-pre-ping", action="store_true", help="measure without pool_pre_ping")
    ap.add_argument("--no-rate-limit", action="store_true", help="measure without Flask-Limiter")
    args = ap.parse_args()

    from bench.rush import drop_database, make_database

    name = args.database_url.rsplit("/", 1)[1] + "_scanprof"
    url = make_database(args.database_url, name)
    # The configuration reads its environment when imported: set it first.
    os.environ.update(DATABASE_URL=url, SECRET_KEY=secrets.token_hex(32), SCHEDULER_ENABLED="0",
                      MAIL_BACKEND="console", TSUNAGU_ENV="development",
                      API_RATE_LIMIT="100000 per minute")  # fmt: skip
    try:
        flask = Path(sys.executable).parent / "flask"
        subprocess.run([str(flask), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
        from bench.exhibition import seed

        data = seed(url, args.scans + 100)
        report(data, args)
    finally:
        drop_database(args.database_url, name)
    return 0


def report(data: dict, args) -> None:
    from sqlalchemy import event

    from bench.server_timing import statement_kind
    from booking import create_app
    from booking.extensions import db

    overrides: dict = {"ENV_NAME": "development"}
    if args.no_pre_ping:
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": False}
    if args.no_rate_limit:
        overrides["RATELIMIT_ENABLED"] = False
    app = create_app(overrides)
    kinds_now: list[str] = []
    with app.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def _count(conn, cursor, statement, *rest):
            kinds_now.append(statement_kind(statement))

    client = app.test_client()
    healthz = []
    for _ in range(220):
        t = time.thread_time()
        client.get("/healthz")
        healthz.append(time.thread_time() - t)
    healthz = healthz[20:]
    path = f"/api/v1/exhibitions/{data['exhibition']}/entries"
    headers = {"Authorization": f"Bearer {data['tokens'][0]}"}
    jobs = []
    for k, token in enumerate(data["passes"][: args.scans]):
        jobs.append(token)
        if k % 10 == 0:
            jobs.append(token)  # the visitor shows the pass again: "already"
    cpu = collections.defaultdict(list)
    statements = collections.defaultdict(list)
    kinds: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    profiled: collections.Counter = collections.Counter()
    prof = cProfile.Profile(time.thread_time)
    for i, token in enumerate(jobs):
        kinds_now.clear()
        under_profile = i >= 20 and i % 2 == 1
        body = {"pass": token, "entrance": "東口", "day": data["day"].isoformat()}
        t = time.thread_time()
        if under_profile:
            prof.enable()
        answer = client.post(path, json=body, headers=headers)
        if under_profile:
            prof.disable()
        spent = time.thread_time() - t
        label = LABELS.get(answer.status_code, str(answer.status_code))
        if under_profile:
            profiled[label] += 1
        elif i >= 20:
            cpu[label].append(spent)
            statements[label].append(len(kinds_now))
            kinds[label].update(kinds_now)
    base = 1000 * sum(healthz) / len(healthz)
    for label, values in sorted(cpu.items()):
        n = len(values)
        mean = 1000 * sum(values) / n
        print(f"{label} ({n} measured bare): thread CPU {mean:.2f} ms mean "
              f"({mean / base:.1f}× /healthz's), {1000 * sorted(values)[n // 2]:.2f} ms median; "
              f"{sum(statements[label]) / n:.1f} statements")  # fmt: skip
        print("    " + ", ".join(f"{k} {v / n:.1f}×" for k, v in kinds[label].most_common()))
    stats = pstats.Stats(prof)
    total = sum(profiled.values()) or 1
    print(f"function calls per profiled scan: {stats.total_calls / total:.0f} "
          f"({total} profiled, {dict(profiled)})")  # fmt: skip
    print(f"/healthz thread CPU {base:.2f} ms mean (the baseline)")
    if args.top:
        print(f"cumulative CPU per profiled scan (ms), top {args.top}:")
        rows = sorted(stats.stats.items(), key=lambda kv: kv[1][3], reverse=True)
        for (file, line, func), (_cc, _nc, _tt, ct, _callers) in rows[: args.top]:
            where = f"{Path(file).name}:{line}" if line else file
            print(f"  {1000 * ct / total:7.3f}  {func} ({where})")
    if args.profile:
        stats.dump_stats(args.profile)
        print(f"cProfile statistics in {args.profile} (python -m pstats {args.profile})")


if __name__ == "__main__":
    sys.exit(main())
