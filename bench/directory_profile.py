"""The public exhibitor directory in one process: CPU, statements and calls per page, drawn
afresh against kept (directory/pages.py), in the same run.

    .venv/bin/python bench/directory_profile.py [--database-url URL] [--requests 200]
        [--profile out.prof]

Seeds the demo fair of `bench/exhibition.py` (300 exhibitors) on PostgreSQL and asks for its
directory through the Flask test client, one anonymous request at a time, so the figures hardly
depend on how loaded the machine is: the first page and the zone + keyword page, each
"drawn" (the worker's kept listings emptied before every request: what a page costs after a
change to the fair) and "kept" (the listing kept from the page before). For each it prints the
thread's CPU per page (mean, median), SQL statements per page by kind, and function calls per
page under cProfile; then `/healthz`'s CPU as the baseline and the most costly functions of the
kept pages.

It creates (and drops) its own database `<name>_dirprofile` on the given server.
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
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/tsunagu_fairdemo"))  # fmt: skip
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--profile", help="write the kept pages' cProfile statistics to this file")
    args = ap.parse_args()

    from bench.exhibition import seed
    from bench.rush import drop_database, make_database

    name = args.database_url.rsplit("/", 1)[1] + "_dirprofile"
    url = make_database(args.database_url, name)
    # The configuration reads its environment when imported: set it first.
    os.environ.update(DATABASE_URL=url, SECRET_KEY=secrets.token_hex(32), SCHEDULER_ENABLED="0",
                      MAIL_BACKEND="console", TSUNAGU_ENV="development")  # fmt: skip
    try:
        flask = Path(sys.executable).parent / "flask"
        subprocess.run([str(flask), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
        data = seed(url, 1)
        report(data["exhibition"], args)
    finally:
        drop_database(args.database_url, name)
    return 0


def report(exhibition_id: int, args) -> None:
    from sqlalchemy import event

    from bench.server_timing import statement_kind
    from booking import create_app
    from booking.extensions import db

    app = create_app("development")
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
    healthz_ms = 1000 * sum(healthz[20:]) / len(healthz[20:])
    base = f"/exhibitions/{exhibition_id}/"
    pages = [("first page", base), ("zone C + keyword", base + "?zone=C&q=" + quote("システム"))]
    kept_profiles = []
    for label, path in pages:
        for mode in ("drawn", "kept"):
            cpu: list[float] = []
            statements: list[int] = []
            kinds: collections.Counter = collections.Counter()
            prof = cProfile.Profile(time.thread_time)
            profiled = 0
            for i in range(args.requests + 10):
                if mode == "drawn":
                    app.extensions.pop("tsunagu_directory_listings", None)
                kinds_now.clear()
                under_profile = i >= 10 and i % 2 == 1
                t = time.thread_time()
                if under_profile:
                    prof.enable()
                answer = client.get(path)
                if under_profile:
                    prof.disable()
                    profiled += 1
                spent = time.thread_time() - t
                assert answer.status_code == 200, answer.status_code
                if i >= 10 and not under_profile:
                    cpu.append(spent)
                    statements.append(len(kinds_now))
                    kinds.update(kinds_now)
            n = len(cpu)
            calls = pstats.Stats(prof).total_calls / max(profiled, 1)
            if mode == "kept":
                kept_profiles.append(prof)
            mean = 1000 * sum(cpu) / n
            print(f"directory, {label}, {mode} ({n} measured bare): thread CPU {mean:.2f} ms mean, "
                  f"{1000 * sorted(cpu)[n // 2]:.2f} ms median ({mean / healthz_ms:.1f}× /healthz's); "
                  f"{sum(statements) / n:.1f} statements; {calls:.0f} calls per page under cProfile")  # fmt: skip
            print("    " + ", ".join(f"{k} {v / n:.1f}×" for k, v in kinds.most_common()))
    print(f"/healthz thread CPU {healthz_ms:.2f} ms mean (the baseline)")
    stats = pstats.Stats(*kept_profiles)
    print("kept pages, the functions with most CPU, callees included (all kept pages together):")
    stats.sort_stats("cumulative").print_stats(30)
    if args.profile:
        stats.dump_stats(args.profile)
        print(f"cProfile statistics in {args.profile} (python -m pstats {args.profile})")


if __name__ == "__main__":
    sys.exit(main())
