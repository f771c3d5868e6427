"""Benchmark: any-advisor free slots for one theme and branch over 4 weeks.

Set-up: N advisors (default 40) at one branch covering the theme, weekly hours Mon–Fri
10–12 and 13–17 over 8 weeks, and B existing bookings (default 2,000) spread over them.
Prints the median and p95 time of `free_slots(...)` over the next 4 weeks, its CPU time and
the number of SQL queries per call, and the same for a baseline of 1 advisor measured in the
same run (the query count must not grow with the number of advisors). Three cases: the first
call of the worker (cold cache), repeated calls (warm: one statement reads the versions), and
calls each after one advisor's booking changed (that advisor's version moved: its days are
computed again, the others' come from their entries, and the answer is their merge). Then
what the worker's caches hold: entries, slots and megabytes.

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

from flask import current_app
from sqlalchemy import event, insert, select, update

from booking import create_app
from booking.accounts.models import User
from booking.consultations.catalogue import channel_by_slug, load_catalogue, theme_by_slug
from booking.consultations.models import (
    Advisor,
    Consultation,
    WeeklyAvailability,
)
from booking.consultations.slot_cache import advisor_slot_cache, slot_cache
from booking.consultations.slots import free_slots
from booking.demo import chamber_data
from booking.extensions import db
from booking.org.services import load_structure, unit_by_key
from config import normalise_database_url

NOW = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)  # Monday 09:00 in Tokyo; no holiday for 7 weeks


def build(n_advisors: int, n_bookings: int, seed: int = 7) -> None:
    db.session.remove()
    # Each build starts with the caches of a new worker.
    for cache in ("tsunagu.slot_cache", "tsunagu.advisor_slot_cache", "tsunagu.slot_gaps_cache"):
        current_app.extensions.pop(cache, None)
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


def _timed(call) -> tuple[float, float, int, list]:
    """(wall ms, CPU ms, SQL statements) of one call, and its answer. The transaction is
    open and the theme and branch loaded before: only free_slots' own statements count."""
    queries = []
    listener = lambda *a, **k: queries.append(1)  # noqa: E731
    db.session.connection()
    event.listen(db.engine, "before_cursor_execute", listener)
    t0, c0 = clock.perf_counter(), clock.process_time()
    answer = call()
    wall, cpu = (clock.perf_counter() - t0) * 1000, (clock.process_time() - c0) * 1000
    event.remove(db.engine, "before_cursor_execute", listener)
    return wall, cpu, len(queries), answer


def cache_size() -> dict:
    """What the worker's caches hold: entries, slots and bytes (every object counted once: a
    merged answer shares its slots, their times and names with the advisors' entries)."""
    seen: set[int] = set()
    size = 0

    def add(obj) -> None:
        nonlocal size
        if id(obj) not in seen:
            seen.add(id(obj))
            size += sys.getsizeof(obj)

    out = {}
    for name, cache in (("answers", slot_cache()), ("advisors", advisor_slot_cache())):
        entries = cache.values()
        for slots in entries:
            add(slots)
            for slot in slots:
                for part in (slot, *slot):
                    add(part)
        out[name] = len(entries)
        out[f"{name}_slots"] = sum(len(e) for e in entries)
    out["mb"] = size / 1e6
    return out


def measure(runs: int) -> dict:
    """The first call (the worker's cache is cold), then `runs` calls (warm), then `runs`
    calls each after one booking of an advisor changed (a cancellation, then a re-booking:
    that advisor's version changes, so the call computes again)."""
    theme = theme_by_slug("management")
    branch = unit_by_key("branch:chiyoda")
    call = lambda: free_slots(theme, NOW, NOW + timedelta(days=28), NOW, branch_id=branch.id)  # noqa: E731
    cold = _timed(call)
    one_answer = cache_size()
    warm = [_timed(call) for _ in range(runs)]
    booked = db.session.scalars(select(Consultation.id).order_by(Consultation.id)).all()
    changed = []
    for i in range(runs):
        status = "cancelled" if i % 2 == 0 else "booked"
        db.session.execute(
            update(Consultation).where(Consultation.id == booked[i // 2]).values(status=status)
        )
        db.session.commit()
        db.session.refresh(theme), db.session.refresh(branch)  # reloaded outside the measure
        changed.append(_timed(call))
    db.session.rollback()
    full = cache_size()

    def summary(samples):
        walls = sorted(s[0] for s in samples)
        p95 = walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))]
        return {"median": statistics.median(walls), "p95": p95,
                "cpu": statistics.median(s[1] for s in samples),
                "queries": max(s[2] for s in samples)}  # fmt: skip

    return {"cold": summary([cold]), "warm": summary(warm), "changed": summary(changed),
            "found": len(cold[3]), "one_answer": one_answer, "full": full}  # fmt: skip


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
        base = measure(a.runs)
        build(a.advisors, a.bookings)
        many = measure(a.runs)
        db.session.remove()
        db.drop_all()
    print(
        f"database: {url.split(':')[0]}, runs: {a.runs}, load average: "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times suffer under load; "
        "CPU time is this process's own)"
    )
    for label, m in ((" 1 advisor (baseline)", base),
                     (f"{a.advisors} advisors, {a.bookings} bookings", many)):  # fmt: skip
        print(f"{label}: {m['found']} free slots")
        for case in ("cold", "warm", "changed"):
            r = m[case]
            print(f"  {case:8s} median {r['median']:7.2f} ms  p95 {r['p95']:7.2f} ms  "
                  f"cpu median {r['cpu']:7.2f} ms  queries {r['queries']}")  # fmt: skip
        for when, c in (("after the first call", m["one_answer"]),
                        (f"after {2 * a.runs + 1} calls", m["full"])):  # fmt: skip
            print(f"  cache {when}: {c['answers']} answers ({c['answers_slots']} slots), "
                  f"{c['advisors']} advisors' days ({c['advisors_slots']} slots), "
                  f"{c['mb']:.2f} MB")  # fmt: skip
    w, bw = many["warm"], base["warm"]
    constant = all(many[c]["queries"] == base[c]["queries"] for c in ("cold", "warm", "changed"))
    print(
        f"ratio warm time {w['median'] / bw['median']:.1f}x, cpu {w['cpu'] / bw['cpu']:.1f}x for "
        f"{a.advisors}x advisors; queries {'constant' if constant else 'GROW'} "
        f"(cold {many['cold']['queries']}, warm {w['queries']}, changed {many['changed']['queries']})"
    )
    c = many["changed"]
    print(
        f"target median < 10 ms: warm {w['median']:.2f} ms "
        f"{'met' if w['median'] < 10 else 'NOT met'}; after a change {c['median']:.2f} ms "
        f"(cpu {c['cpu']:.2f} ms, {c['queries']} statements) "
        f"{'met' if c['median'] < 10 else 'NOT met'}"
    )
    return 0 if constant else 1


if __name__ == "__main__":
    sys.exit(main())
