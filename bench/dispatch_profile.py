"""One dispatcher pass in this process: CPU per mail, and where it goes, against a bare loop.

    .venv/bin/python bench/dispatch_profile.py [--messages 1500] [--rounds 3] [--limit 100]
        [--profile] [--top 25] [--database-url postgresql://…]

Plans the messages of `bench/dispatch.py` in PostgreSQL and delivers them with one
`dispatch_due` pass in this process to an aiosmtpd sink in a process of its own, `--rounds`
times, then sends them with the bench's bare smtplib loop. CPU per mail is this process's
(both threads: the dispatching one and the sender, which makes the marks too), which depends
far less on how loaded a shared machine is than the messages/s of `bench/dispatch.py`; the
sink's CPU and the wall time per mail are printed beside it. Compare two checkouts by running
it in each, one after the other. `--profile` runs one more pass under cProfile, the sender
thread's functions apart, and prints the functions with the most time (cumulative).
The database (default tsunagu_notify_bench) must exist; its outbox is emptied.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def one_pass(app, n: int, limit: int, sink, profile: bool = False, top: int = 25) -> None:
    from bench.dispatch import plan
    from booking.notifications import dispatcher

    plan(app, n)
    profiles = {"dispatching thread": cProfile.Profile(), "sender thread": cProfile.Profile()}
    loop = dispatcher._Sender._loop

    def profiled_loop(sender, app):
        profiles["sender thread"].enable()
        try:
            loop(sender, app)
        finally:
            profiles["sender thread"].disable()

    if profile:
        dispatcher._Sender._loop = profiled_loop
    with app.app_context():
        sink_cpu, cpu, wall = sink.cpu(), time.process_time(), time.perf_counter()
        timings: dict = {}
        if profile:
            profiles["dispatching thread"].enable()
        try:
            sent = dispatcher.dispatch_due(limit=limit, timings=timings)
        finally:
            profiles["dispatching thread"].disable()
            dispatcher._Sender._loop = loop
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        sink_cpu = sink.cpu() - sink_cpu
    if sent != n:
        raise SystemExit(f"expected {n} deliveries, sent {sent}")
    parts = " ".join(f"{k}={v * 1000 / n:.3f}" for k, v in sorted(timings.items()))
    print(f"  {'profiled ' if profile else ''}pass: CPU {cpu * 1000 / n:.3f} ms/mail, "
          f"wall {wall * 1000 / n:.3f} ms/mail, sink CPU {sink_cpu * 1000 / n:.3f} ms/mail "
          f"(wall ms per mail: {parts})")  # fmt: skip
    if profile:
        for name, prof in profiles.items():
            print(f"\n=== {name}")
            pstats.Stats(prof).sort_stats("cumulative").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=100, help="claim size, as bench/dispatch.py")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/tsunagu_notify_bench"),
    )  # fmt: skip
    args = parser.parse_args()

    from bench import dispatch as bench_dispatch
    from booking.extensions import db
    from booking.notifications.dispatcher import dispatch_due, render_message
    from booking.notifications.models import OutboxMessage
    from config import normalise_database_url

    url = normalise_database_url(args.database_url)
    sink = bench_dispatch.Sink()
    try:
        app = bench_dispatch.make_app(url, sink.port)
        with app.app_context():
            db.create_all()
            bench_dispatch.plan(app, 1)
            # Warm, as bench/dispatch.py's workers are: the claim compiled, the templates loaded.
            dispatch_due(now=datetime(2000, 1, 1, tzinfo=UTC))
            render_message(db.session.scalars(db.select(OutboxMessage).limit(1)).one())
            db.session.commit()
        print(f"{args.messages} messages, one dispatcher pass in this process, claims of "
              f"{args.limit}, aiosmtpd sink (own process)")  # fmt: skip
        for _ in range(args.rounds):
            one_pass(app, args.messages, args.limit, sink)
        bench_dispatch.plan(app, args.messages)
        sink_cpu, cpu = sink.cpu(), time.process_time()
        rate = bench_dispatch.bare_loop(app, args.messages, sink.port)
        print(f"  bare smtplib loop: {rate:.0f} messages/s (its CPU, rendering beforehand "
              f"included, {(time.process_time() - cpu) * 1000 / args.messages:.3f} ms/mail; "
              f"sink CPU {(sink.cpu() - sink_cpu) * 1000 / args.messages:.3f} ms/mail)")  # fmt: skip
        if args.profile:
            one_pass(app, args.messages, args.limit, sink, profile=True, top=args.top)
        with app.app_context():
            db.engine.dispose()
    finally:
        sink.stop()


if __name__ == "__main__":
    main()
