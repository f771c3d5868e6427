"""Benchmark: any-advisor free slots for one theme and branch over 4 weeks.

Set-up: N advisors (default 40) at one branch covering the theme, weekly hours Mon–Fri
10–12 and 13–17 over 8 weeks, and B existing bookings (default 2,000) spread over them.
Prints the median and p95 time of `free_slots(...)` over the next 4 weeks, the number of SQL
queries per call, and the same for a baseline of 1 advisor measured in the same run (the
query count must not grow with the number of advisors).

    .venv/bin/python bench/slots.py                       # ~30 s on SQLite
    .venv/bin/python bench/slots.py --runs 200 --database-url postgresql://…/db
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time as clock
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert

from booking import create_app
from booking.accounts.models import User
from booking.consultations.catalogue import channel_by_slug, load_catalogue, theme_by_slug
from booking.consultations.models import (
    Advisor,
    Consultation,
    WeeklyAvailability,
)
from booking.consultations.slots import free_slots
from booking.demo import chamber_data
from booking.extensions import db
from booking.org.services import load_structure, unit_by_key
from config import normalise_database_url

NOW = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)  # Monday 09:00 in Tokyo; no holiday for 7 weeks


def build(n_advisors: int, n_bookings: int, seed: int = 7) -> None:
    db.session.remove()
    db.drop_all()
    db.create_all()
    load_structure(chamber_data())
    load_catalogue(chamber_data())
    theme = theme_by_slug("management")
    theme.horizon_days = 56
    branch = unit_by_key("branch:chiyoda")
    channels = [channel_by_slug(s) for s in ("branch", "online", "phone")]
    member = User(email="bench-member@example.jp", role="member")
    db.session.add(member)
    advisors = []
    for i in range(n_advisors):
        user = User(email=f"bench-advisor{i}@example.jp", role="advisor")
        advisor = Advisor(user=user, themes=[theme], branches=[branch], channels=channels)
        db.session.add(advisor)
        advisors.append(advisor)
    db.session.flush()
    rows = []
    for advisor in advisors:
        for weekday in range(5):
            for starts, ends in ((time(10), time(12)), (time(13), time(17))):
                rows.append({"advisor_id": advisor.id, "weekday": weekday, "starts": starts,
                             "ends": ends})  # fmt: skip
    db.session.execute(insert(WeeklyAvailability), rows)
    # Bookings on the hour grid of the 8 weeks, never two on one advisor's hour.
    rng = random.Random(seed)
    hours = [NOW + timedelta(days=d, hours=h) for d in range(56) if (NOW + timedelta(days=d))
             .weekday() < 5 for h in (1, 2, 4, 5, 6, 7)]  # fmt: skip
    taken = rng.sample([(a.id, h) for a in advisors for h in hours],
                       min(n_bookings, len(advisors) * len(hours)))  # fmt: skip
    db.session.execute(
        insert(Consultation),
        [{"member_id": member.id, "advisor_id": aid, "theme_id": theme.id,
          "channel_id": channels[1].id, "branch_id": branch.id, "starts_at": start,
          "ends_at": start + timedelta(hours=1), "status": "booked", "topic": "bench",
          "answers": {}} for aid, start in taken],
    )  # fmt: skip
    db.session.commit()


def measure(runs: int) -> tuple[float, float, int, int]:
    theme = theme_by_slug("management")
    branch = unit_by_key("branch:chiyoda")
    queries = []
    listener = lambda *a, **k: queries.append(1)  # noqa: E731
    times, cpu, counts, found = [], [], [], 0
    for _ in range(runs):
        db.session.expire_all()
        queries.clear()
        event.listen(db.engine, "before_cursor_execute", listener)
        t0, c0 = clock.perf_counter(), clock.process_time()
        slots = free_slots(theme, NOW, NOW + timedelta(days=28), NOW, branch_id=branch.id)
        times.append((clock.perf_counter() - t0) * 1000)
        cpu.append((clock.process_time() - c0) * 1000)
        event.remove(db.engine, "before_cursor_execute", listener)
        counts.append(len(queries))
        found = len(slots)
    db.session.rollback()
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, max(counts), found, statistics.median(cpu)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--advisors", type=int, default=40)
    ap.add_argument("--bookings", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--database-url", help="default: a temporary SQLite file")
    a = ap.parse_args()
    url = a.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='bench-slots-')}/bench.sqlite"
    app = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": normalise_database_url(url)}
    )
    with app.app_context():
        build(1, a.bookings // a.advisors)
        b_med, b_p95, b_queries, b_found, b_cpu = measure(a.runs)
        build(a.advisors, a.bookings)
        med, p95, queries, found, cpu = measure(a.runs)
        db.session.remove()
        db.drop_all()
    print(
        f"database: {url.split(':')[0]}, runs: {a.runs}, load average: "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times suffer under load; "
        "CPU time is this process's own)"
    )
    print(f"baseline  1 advisor : median {b_med:7.2f} ms  p95 {b_p95:7.2f} ms  "
          f"cpu median {b_cpu:7.2f} ms  queries {b_queries}  free slots {b_found}")  # fmt: skip
    print(f"{a.advisors:3d} advisors, {a.bookings} bookings: median {med:7.2f} ms  "
          f"p95 {p95:7.2f} ms  cpu median {cpu:7.2f} ms  queries {queries}  free slots {found}")  # fmt: skip
    print(
        f"ratio time {med / b_med:.1f}x for {a.advisors}x advisors; "
        f"queries {queries} vs {b_queries} ({'constant' if queries == b_queries else 'GROWS'})"
    )
    print(
        f"ratio cpu {cpu / b_cpu:.1f}x; target median < 10 ms: {'met' if med < 10 else 'NOT met'}"
    )
    return 0 if queries == b_queries else 1


if __name__ == "__main__":
    sys.exit(main())
