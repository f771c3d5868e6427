"""The public event list in one process: CPU, statements and calls per page, by filter.

    .venv/bin/python bench/list_profile.py [--database-url URL] [--events 1000]
        [--registrations 10000] [--requests 100] [--only LABEL] [--profile out.prof]

Seeds the list of `bench/rush.py`'s phase 3 (`bench/rush_seed.py`: 1,000 published events,
10,000 registrations) on PostgreSQL and asks for `/events/` through the Flask test client, one
request at a time, so the figures hardly depend on how loaded the machine is: the first page,
page 5, the filters the page offers one by one (kind, format, organiser, dates, keyword, seats
left) and together (seminars with seats left, as the rush measures), in Japanese and English,
anonymous and as a member, in English (who also sees member-only events). For each it prints the thread's
CPU per page (mean, median), SQL statements per page by kind with their time, and function calls
per page under cProfile (timer: the thread's CPU); then `/healthz`'s CPU as the baseline and the
most costly functions of all the pages together.

The tables are measured as the seed leaves them, not analysed (as in the rush; with autovacuum
off, as on the bench machine, they never are): the plans a freshly filled database gets.

It creates (and drops) its own database `<name>_listprofile` on the given server.
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
    op.add_database_argument(ap, "tsunagu_events")
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--registrations", type=int, default=10000)
    ap.add_argument("--requests", type=int, default=100, help="measured requests per page")
    ap.add_argument("--only", help="only the pages whose label holds this text")
    ap.add_argument("--profile", help="write all the pages' cProfile statistics to this file")
    args = ap.parse_args()

    from bench.rush_seed import seed

    with op.own_database(args.database_url, "_listprofile") as url:
        seed(url, 1000, 10, args.events, args.registrations)
        report(args)
    return 0


def pages(app) -> list[tuple[str, str, str]]:
    """(label, path, who): who is "anonymous", "english" (the `lang` cookie) or "member"."""
    from sqlalchemy import select

    from booking.extensions import db
    from booking.org.models import Unit

    with app.app_context():
        branch = db.session.scalar(select(Unit).where(Unit.kind == "branch").order_by(Unit.id))
        branch_key = f"branch:{branch.slug}"
    filtered = "/events/?kind=seminar&seats=1"
    everything = (f"/events/?kind=seminar&format=in_person&seats=1&q={quote('計測')}"
                  f"&unit={quote(branch_key)}&from=2020-01-01")  # fmt: skip
    return [
        ("first page", "/events/", "anonymous"),
        ("page 5", "/events/?page=5", "anonymous"),
        ("seminars with seats (rush)", filtered, "anonymous"),
        ("seminars with seats, English", filtered, "english"),
        ("seminars with seats, member (English)", filtered, "member"),
        ("seats left", "/events/?seats=1", "anonymous"),
        ("seats left, page 5", "/events/?seats=1&page=5", "anonymous"),
        ("kind", "/events/?kind=exchange", "anonymous"),
        ("format", "/events/?format=online", "anonymous"),
        ("organiser (branch)", f"/events/?unit={quote(branch_key)}", "anonymous"),
        ("organiser (hq)", "/events/?unit=hq", "anonymous"),
        ("dates", "/events/?from=2020-01-01&to=2100-12-31", "anonymous"),
        ("keyword", "/events/?q=" + quote("計測イベント 1"), "anonymous"),
        ("all filters, member English", everything, "member"),
    ]


def client_for(app, who: str):
    """A test client: anonymous, anonymous with the English cookie, or a member signed in."""
    from sqlalchemy import select

    from booking.accounts.models import User
    from booking.extensions import db

    client = app.test_client()
    if who == "english":
        client.set_cookie("lang", "en")
    elif who == "member":
        with app.app_context():
            user = db.session.scalar(select(User).where(User.role == "member").order_by(User.id))
            user.locale = "en"  # the member reads the pages in English
            session_id = user.get_id()
            db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"] = session_id
            session["_fresh"] = True
    return client


def count_statement_time(app) -> list[float]:
    """A list that receives each statement's seconds (cursor execute, wall)."""
    from sqlalchemy import event

    from booking.extensions import db

    spent: list[float] = []
    started: list[float] = []
    with app.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def _before(*args):
            started.append(time.perf_counter())

        @event.listens_for(db.engine, "after_cursor_execute")
        def _after(*args):
            spent.append(time.perf_counter() - started.pop())

    return spent


def report(args) -> None:
    from booking import create_app
    from booking.heap import freeze_long_lived

    app = create_app("development")
    freeze_long_lived()  # as wsgi.py does once the app is built
    kinds_now = op.count_statements(app)
    seconds_now = count_statement_time(app)
    healthz_ms = op.healthz_cpu_ms(app.test_client())
    all_profiles = []
    for label, path, who in pages(app):
        if args.only and args.only not in label:
            continue
        client = client_for(app, who)
        first = client.get(path)
        assert first.status_code == 200, (path, first.status_code)
        cpu: list[float] = []
        statements: list[int] = []
        sql_ms: list[float] = []
        kinds: collections.Counter = collections.Counter()
        kind_ms: collections.Counter = collections.Counter()
        prof = cProfile.Profile(time.thread_time)
        profiled = 0
        for i in range(2 * args.requests + 10):
            kinds_now.clear()
            seconds_now.clear()
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
                sql_ms.append(1000 * sum(seconds_now))
                kinds.update(kinds_now)
                for kind, seconds in zip(kinds_now, seconds_now, strict=True):
                    kind_ms[kind] += 1000 * seconds
        all_profiles.append(prof)
        n = len(cpu)
        calls = pstats.Stats(prof).total_calls / max(profiled, 1)
        mean = 1000 * sum(cpu) / n
        shown = first.get_data(as_text=True).count('<li class="card">')
        print(f"{label} [{who}] {path}: {shown} cards; thread CPU {mean:.2f} ms mean, "
              f"{1000 * sorted(cpu)[n // 2]:.2f} ms median ({mean / healthz_ms:.1f}× /healthz's); "
              f"{sum(statements) / n:.1f} statements, {sum(sql_ms) / n:.2f} ms in SQL (wall); "
              f"{calls:.0f} calls per page under cProfile")  # fmt: skip
        print("    " + ", ".join(f"{k} {v / n:.1f}× ({kind_ms[k] / n:.2f} ms)"
                              for k, v in kinds.most_common()))  # fmt: skip
    print(f"/healthz thread CPU {healthz_ms:.2f} ms mean (the baseline)")
    stats = pstats.Stats(*all_profiles)
    print("the functions with most CPU, callees included (all pages together):")
    stats.sort_stats("cumulative").print_stats(30)
    if args.profile:
        stats.dump_stats(args.profile)
        print(f"cProfile statistics in {args.profile} (python -m pstats {args.profile})")


if __name__ == "__main__":
    sys.exit(main())
