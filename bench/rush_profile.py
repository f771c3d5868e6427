"""The rush's registrations in one process: CPU, statements and function calls per request.

    .venv/bin/python bench/rush_profile.py [--database-url URL] [--registrations 300]
        [--seats 50] [--profile out.prof]

Runs the rush of `bench/rush.py` (N registrations over the API for one S-seat frame) through
the Flask test client on PostgreSQL, one request at a time, so the figures do not depend on
how loaded the machine is as much as wall time does. Every other registration (after ten for
warming up) runs under cProfile (timer: the thread's CPU); the others are measured bare. It
prints, for confirmed and waitlisted answers apart: the thread's CPU per request (mean and
median), the process's CPU (with any helper threads), SQL statements per request by kind, and
cProfile's function calls per profiled request; the PostgreSQL server's CPU per registration
over the loop (how much of the cost is the database's); then `/healthz`'s CPU as the baseline.
Compare two checkouts by running it in each, one after the other.

It creates (and drops) its own database `<name>_profile` on the given server.
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    op.add_database_argument(ap, "tsunagu_events")
    ap.add_argument("--registrations", type=int, default=300)
    ap.add_argument("--seats", type=int, default=50)
    ap.add_argument("--profile", help="write the cProfile statistics to this file")
    args = ap.parse_args()

    from bench.rush_seed import seed

    with op.own_database(args.database_url, "_profile", API_RATE_LIMIT="100000 per minute") as url:
        data = seed(url, max(args.registrations, 1000), args.seats, 10, 10)
        report(url, data, args)
    return 0


def report(url: str, data: dict, args) -> None:
    from bench.rush import counts
    from booking import create_app
    from booking.heap import freeze_long_lived

    app = create_app("development")
    freeze_long_lived()  # as wsgi.py does once the app is built
    kinds_now = op.count_statements(app)
    backends = op.own_backends(app)
    client = app.test_client()
    healthz_ms = op.healthz_cpu_ms(client)
    path = f"/api/v1/events/{data['event']}/registrations"
    cpu, process_cpu = collections.defaultdict(list), collections.defaultdict(list)
    statements = collections.defaultdict(list)
    kinds: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    profiled: collections.Counter = collections.Counter()
    prof = cProfile.Profile(time.thread_time)
    tokens = data["tokens"][: args.registrations]
    with op.ServerCPU(backends) as server:
        for i, token in enumerate(tokens):
            kinds_now.clear()
            under_profile = i >= 10 and i % 2 == 1
            with op.Spent() as spent:
                if under_profile:
                    prof.enable()
                answer = client.post(path, json={"frame": data["frame"], "answers": {}},
                                     headers={"Authorization": f"Bearer {token}"})  # fmt: skip
                if under_profile:
                    prof.disable()
            status = str((answer.get_json() or {}).get("status", answer.status_code))
            if under_profile:
                profiled[status] += 1
            elif i >= 10:
                cpu[status].append(spent.thread)
                process_cpu[status].append(spent.process)
                statements[status].append(len(kinds_now))
                kinds[status].update(kinds_now)
    stats = pstats.Stats(prof)
    total_profiled = sum(profiled.values()) or 1
    for status, values in cpu.items():
        n = len(values)
        print(f"{status} ({n} measured bare): thread CPU {1000 * sum(values) / n:.2f} ms mean, "
              f"{1000 * sorted(values)[n // 2]:.2f} ms median; process CPU "
              f"{1000 * sum(process_cpu[status]) / n:.2f} ms; "
              f"{sum(statements[status]) / n:.1f} statements")  # fmt: skip
        by_kind = ", ".join(f"{k} {v / n:.1f}×" for k, v in kinds[status].most_common())
        print(f"    {by_kind}")
    print(f"function calls per profiled registration: {stats.total_calls / total_profiled:.0f} "
          f"({total_profiled} profiled, {dict(profiled)})")  # fmt: skip
    print(server.line(len(tokens), "registration"))
    print(f"/healthz thread CPU {healthz_ms:.2f} ms mean (the baseline)")
    confirmed, waitlisted, taken, capacity = counts(url, data["frame"])
    print(f"confirmed/waitlisted: {confirmed}/{waitlisted} (frame taken {taken}/{capacity})")
    if args.profile:
        stats.dump_stats(args.profile)
        print(f"cProfile statistics in {args.profile} (python -m pstats {args.profile})")


if __name__ == "__main__":
    sys.exit(main())
