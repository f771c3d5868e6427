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
page under cProfile, and the PostgreSQL server's CPU per page over the loop (how much of the
cost is the database's); then `/healthz`'s CPU as the baseline and the most costly functions of
the kept pages.

It creates (and drops) its own database `<name>_dirprofile` on the given server.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import pstats
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import one_process as op  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    op.add_database_argument(ap, "tsunagu_fairdemo")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--profile", help="write the kept pages' cProfile statistics to this file")
    args = ap.parse_args()

    with op.own_database(args.database_url, "_dirprofile") as url:
        from bench.exhibition import seed

        data = seed(url, 1)
        report(data["exhibition"], args)
    return 0


def report(exhibition_id: int, args) -> None:
    from booking import create_app
    from booking.heap import freeze_long_lived

    app = create_app("development")
    freeze_long_lived()  # as wsgi.py does once the app is built
    kinds_now = op.count_statements(app)
    backends = op.own_backends(app)
    client = app.test_client()
    healthz_ms = op.healthz_cpu_ms(client)
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
            with op.ServerCPU(backends) as server:
                for i in range(args.requests + 10):
                    if mode == "drawn":
                        app.extensions.pop("tsunagu_directory_listings", None)
                    kinds_now.clear()
                    under_profile = i >= 10 and i % 2 == 1
                    with op.Spent() as spent:
                        if under_profile:
                            prof.enable()
                        answer = client.get(path)
                        if under_profile:
                            prof.disable()
                            profiled += 1
                    assert answer.status_code == 200, answer.status_code
                    if i >= 10 and not under_profile:
                        cpu.append(spent.thread)
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
            print("    " + server.line(args.requests + 10, "page"))
    print(f"/healthz thread CPU {healthz_ms:.2f} ms mean (the baseline)")
    stats = pstats.Stats(*kept_profiles)
    print("kept pages, the functions with most CPU, callees included (all kept pages together):")
    stats.sort_stats("cumulative").print_stats(30)
    if args.profile:
        stats.dump_stats(args.profile)
        print(f"cProfile statistics in {args.profile} (python -m pstats {args.profile})")


if __name__ == "__main__":
    sys.exit(main())
