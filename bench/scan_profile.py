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
functions with the most CPU (cumulative); the PostgreSQL server's CPU per scan over the loop
(how much of the cost is the database's); then `/healthz`'s CPU as the baseline. Compare two
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
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import one_process as op  # noqa: E402

LABELS = {201: "entered", 200: "already"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    op.add_database_argument(ap, "tsunagu_fairdemo")
    ap.add_argument("--scans", type=int, default=600)
    ap.add_argument("--profile", help="write the cProfile statistics to this file")
    ap.add_argument("--top", type=int, default=25, help="functions listed by cumulative CPU")
    ap.add_argument("--no-pre-ping", action="store_true", help="measure without pool_pre_ping")
    ap.add_argument("--no-rate-limit", action="store_true", help="measure without Flask-Limiter")
    args = ap.parse_args()

    with op.own_database(args.database_url, "_scanprof", API_RATE_LIMIT="100000 per minute") as url:
        from bench.exhibition import seed

        data = seed(url, args.scans + 100)
        report(data, args)
    return 0


def report(data: dict, args) -> None:
    from booking import create_app
    from booking.heap import freeze_long_lived

    overrides: dict = {"ENV_NAME": "development"}
    if args.no_pre_ping:
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": False}
    if args.no_rate_limit:
        overrides["RATELIMIT_ENABLED"] = False
    app = create_app(overrides)
    freeze_long_lived()  # as wsgi.py does once the app is built
    kinds_now = op.count_statements(app)
    backends = op.own_backends(app)
    client = app.test_client()
    base = op.healthz_cpu_ms(client)
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
    with op.ServerCPU(backends) as server:
        for i, token in enumerate(jobs):
            kinds_now.clear()
            under_profile = i >= 20 and i % 2 == 1
            body = {"pass": token, "entrance": "東口", "day": data["day"].isoformat()}
            with op.Spent() as spent:
                if under_profile:
                    prof.enable()
                answer = client.post(path, json=body, headers=headers)
                if under_profile:
                    prof.disable()
            label = LABELS.get(answer.status_code, str(answer.status_code))
            if under_profile:
                profiled[label] += 1
            elif i >= 20:
                cpu[label].append(spent.thread)
                statements[label].append(len(kinds_now))
                kinds[label].update(kinds_now)
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
    print(server.line(len(jobs), "scan"))
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
