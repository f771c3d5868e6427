"""Fair entrances: gunicorn + PostgreSQL, 8 entrance devices scanning passes over the JSON API.

    .venv/bin/python bench/exhibition.py            # well under 2 minutes
    .venv/bin/python bench/exhibition.py --only directory   # phase 1 and 3 alone
    .venv/bin/python bench/exhibition.py --only scans       # phase 1 and 2 alone

Seeds the demo fair (300 exhibitors with booths, booking/exhibitions/demo.py) and 10,000
visitors with confirmed in-person registrations (bulk insert). Then:

gunicorn runs one sync worker per entrance (8) unless --workers says otherwise.

Phase 1: the same rig's `GET /healthz` rate (the baseline).
Phase 2: 8 entrances, each a thread with its own keep-alive connection and staff token, scan
         3,000 distinct passes through `POST /api/v1/exhibitions/<id>/entries`; every 10th
         pass is also scanned at the next entrance at the same moment (a visitor trying two
         doors). Prints scans/s, p50/p95/p99 (target p99 < 50 ms) and the ratio to /healthz,
         then checks in the database that every scanned pass has exactly one entry for the day
         and no pass has two.
Phase 3: the public directory page `/exhibitions/<id>/` with 300 exhibitors (paged), when
         that page exists: its first page, then a page filtered by zone and keyword, each
         with 8 clients (p50/p95/p99, target p95 < 60 ms) and one at a time.

Every phase prints the server CPU per request two ways: the workers' CPU from /proc (all of
it, gunicorn included) and the request's own CPU from `bench/server_timing.py` (the app the
bench serves unless --no-timing), with the SQL statements per request, their time and the
commit (`bench/breakdown.py`), for /healthz too: compare them, not the latencies, between
runs on a busy machine.

It creates (and drops) its own database `<name>_bench` on the given server.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.breakdown import Breakdown  # noqa: E402
from bench.rush import Client, drop_database, free_port, make_database, pct, run_load  # noqa: E402

DOORS = ["東口", "西口", "南口", "北口", "東口B", "西口B", "南口B", "北口B"]
SCAN_LABELS = {201: "201 entered", 200: "200 already entered"}


def server_cpu(pid: int) -> float:
    """CPU seconds used so far by gunicorn's workers (the master's children), from /proc.

    Unlike latency this hardly depends on what else the machine is running."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:  # ppid
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def page_facts(port: int, path: str) -> tuple[int, int, int]:
    """(status, bytes, exhibitor cards) of one page, so the figures say what was measured."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, len(body), body.count(b'class="card exhibitor-card"')


def seed(url: str, visitors: int) -> dict:
    """The demo fair with eight doors, `visitors` confirmed visitors, one staff token per door."""
    from sqlalchemy import insert, select, update
    from werkzeug.exceptions import HTTPException

    from booking import create_app
    from booking.accounts.models import User
    from booking.accounts.services import PersonDetails, create_user, issue_api_token
    from booking.demo import chamber_data
    from booking.demo.exhibitions import load_fair
    from booking.events.models import Frame, Registration
    from booking.exhibitions.lookup import fair_days
    from booking.exhibitions.models import Exhibition
    from booking.extensions import db
    from booking.org.services import load_structure

    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        now = datetime.now(UTC)
        load_structure(chamber_data())
        load_fair(now)
        exhibition = db.session.scalars(select(Exhibition)).one()
        exhibition.entrances = DOORS
        event = exhibition.event
        frame = next(f for f in event.frames if f.mode == "in_person")
        db.session.execute(insert(User), [
            {"email": f"visitor{i}@bench.example.jp", "role": "guest", "family_name": "来場",
             "given_name": str(i), "family_kana": "ライジョウ", "given_kana": "テスト", "locale": "ja",
             "active": True, "session_version": 1, "created_at": now, "updated_at": now}
            for i in range(visitors)
        ])  # fmt: skip
        user_ids = db.session.scalars(
            select(User.id).where(User.email.like("visitor%@bench.example.jp")).order_by(User.id)
        ).all()
        passes = [secrets.token_urlsafe(16) for _ in user_ids]
        db.session.execute(insert(Registration), [
            {"reference": f"F{n:07d}", "event_id": event.id, "frame_id": frame.id, "user_id": uid,
             "active_user_id": uid, "status": "confirmed", "answers": {}, "attestation": False,
             "queue_rank": 0, "pass_token": token, "late_cancel": False, "sequence": 0,
             "confirmed_at": now, "created_at": now, "updated_at": now}
            for n, (uid, token) in enumerate(zip(user_ids, passes, strict=True))
        ])  # fmt: skip
        db.session.execute(
            update(Frame).where(Frame.id == frame.id).values(taken=visitors, capacity=visitors)
        )
        tokens = []
        for i in range(len(DOORS)):
            staff = create_user(f"door{i}@bench.example.jp", None, "staff",
                                PersonDetails("受付", str(i), "ウケツケ", "テスト", ""),
                                unit_key="hq", confirmed_at=now)  # fmt: skip
            tokens.append(issue_api_token(staff))
        day = fair_days(exhibition)[0]
        info = {"exhibition": exhibition.id, "passes": passes, "tokens": tokens, "day": day}
        # Whether the directory page exists in this code base (another part builds it).
        try:
            app.url_map.bind("localhost").match(f"/exhibitions/{exhibition.id}/")
            info["directory"] = True
        except HTTPException:  # NotFound, MethodNotAllowed: no such page
            info["directory"] = False
        db.session.commit()
        db.engine.dispose()
    return info


def entrances(
    port: int, data: dict, scans: int, every: int, breakdown: Breakdown
) -> tuple[float, list, list, list]:
    """8 threads, one per door, each with its own connection; returns (secs, lat, statuses,
    scanned) and adds each answer's server timing to `breakdown` (by status)."""
    n = len(DOORS)
    chosen = data["passes"][:scans]
    lists: list[list[str]] = [[] for _ in range(n)]
    for k, token in enumerate(chosen):
        lists[k % n].append(token)
    # Every `every`-th pass of a door is also shown at the next door, at about the same moment.
    jobs: list[list[str]] = [[] for _ in range(n)]
    for d in range(n):
        before = lists[(d - 1) % n]
        for pos, token in enumerate(lists[d]):
            if pos % every == 0 and pos < len(before):
                jobs[d].append(before[pos])
            jobs[d].append(token)
    path = f"/api/v1/exhibitions/{data['exhibition']}/entries"
    lat: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(n)

    def door(d: int):
        client = Client(port)
        headers = {"Authorization": f"Bearer {data['tokens'][d]}"}
        mine_lat, mine_status, mine_headers = [], [], []
        barrier.wait()
        for token in jobs[d]:
            body = {"pass": token, "entrance": DOORS[d], "day": data["day"].isoformat()}
            status, secs, answer_headers, _body = client.exchange("POST", path, body, headers)
            mine_lat.append(secs)
            mine_status.append(status)
            mine_headers.append((status, answer_headers))
        with lock:
            lat.extend(mine_lat)
            statuses.extend(mine_status)
            for status, answer_headers in mine_headers:
                breakdown.add(SCAN_LABELS.get(status, str(status)), answer_headers)

    threads = [threading.Thread(target=door, args=(d,)) for d in range(n)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, lat, statuses, chosen


def check_entries(url: str, scanned: list[str], day) -> tuple[int, int, int, dict]:
    """(entries of scanned passes, passes with two entries a day, scanned passes without one, per door)."""
    import psycopg

    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        doubles = conn.execute(
            "SELECT count(*) FROM (SELECT registration_id, day FROM exhibition_entries "
            "GROUP BY registration_id, day HAVING count(*) > 1) AS d"
        ).fetchone()[0]
        rows = conn.execute(
            "SELECT r.pass_token, count(e.id) FROM registrations r "
            "LEFT JOIN exhibition_entries e ON e.registration_id = r.id AND e.day = %s "
            "WHERE r.pass_token = ANY(%s) GROUP BY r.pass_token",
            (day, scanned),
        ).fetchall()
        per_door = dict(
            conn.execute(
                "SELECT entrance, count(*) FROM exhibition_entries GROUP BY entrance"
            ).fetchall()
        )
    entries = sum(c for _t, c in rows)
    missing = sum(1 for _t, c in rows if c != 1) + len(set(scanned) - {t for t, _c in rows})
    return entries, doubles, missing, per_door


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/tsunagu_fairdemo"))  # fmt: skip
    ap.add_argument("--visitors", type=int, default=10_000)
    ap.add_argument("--scans", type=int, default=3000)
    ap.add_argument("--duplicate-every", type=int, default=10)
    # One sync worker per entrance device: a scan waits for its commit to reach the disk, and
    # with fewer workers than devices the others queue behind that wait.
    ap.add_argument("--workers", type=int, default=len(DOORS))
    ap.add_argument("--healthz", type=int, default=2000)
    ap.add_argument("--directory-requests", type=int, default=200)
    ap.add_argument("--only", choices=["all", "directory", "scans"], default="all",
                    help="directory: the directory pages alone (no entrances); "
                         "scans: /healthz and the scans alone (no directory pages)")  # fmt: skip
    ap.add_argument("--no-timing", action="store_true",
                    help="serve wsgi:app without the Server-Timing headers (pure latency)")  # fmt: skip
    args = ap.parse_args()
    if args.only == "directory":
        args.visitors = 1  # the seed wants one; the entrances are skipped
    name = args.database_url.rsplit("/", 1)[1] + "_bench"
    url = make_database(args.database_url, name)
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32),
           "SCHEDULER_ENABLED": "0", "MAIL_BACKEND": "console", "TSUNAGU_ENV": "development",
           "API_RATE_LIMIT": "100000 per minute", "PYTHONUNBUFFERED": "1"}  # fmt: skip
    bin_dir = Path(sys.executable).parent
    server = None
    try:
        subprocess.run([str(bin_dir / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                       check=True, capture_output=True)  # fmt: skip
        t0 = time.perf_counter()
        data = seed(url, args.visitors)
        print(f"seeded the fair (300 exhibitors) and {args.visitors} visitors with passes "
              f"in {time.perf_counter() - t0:.1f} s")  # fmt: skip
        port = free_port()
        # Several benches may run at once: no shared control socket.
        entry = "wsgi:app" if args.no_timing else "bench.server_timing:app"
        server = subprocess.Popen(
            [str(bin_dir / "gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
             "--no-control-socket", "--log-level", "warning", entry],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        for _ in range(120):
            try:
                if Client(port).call("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.25)
        clients = len(DOORS)
        run_load(port, [("GET", "/healthz")] * 200, clients)  # warm every worker up

        cpu = server_cpu(server.pid)
        healthz = Breakdown()
        secs, lat, _statuses = run_load(
            port, [("GET", "/healthz")] * args.healthz, clients, healthz
        )
        healthz_rps = len(lat) / secs
        healthz_cpu = (server_cpu(server.pid) - cpu) / len(lat) * 1000
        print(f"/healthz: {healthz_rps:.0f} req/s, p50 {pct(lat, 50) * 1000:.1f} ms, "
              f"p95 {pct(lat, 95) * 1000:.1f} ms, p99 {pct(lat, 99) * 1000:.1f} ms, "
              f"{healthz_cpu:.1f} ms server CPU each ({args.healthz} requests, {clients} clients; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")  # fmt: skip
        if healthz.rows:
            print(healthz.report(seat=False))

        ok = True
        if args.only != "directory":
            cpu = server_cpu(server.pid)
            scans = Breakdown()
            secs, lat, statuses, scanned = entrances(
                port, data, args.scans, args.duplicate_every, scans
            )
            scan_cpu = (server_cpu(server.pid) - cpu) / len(lat) * 1000
            rps = len(lat) / secs
            p50, p95, p99 = pct(lat, 50) * 1000, pct(lat, 95) * 1000, pct(lat, 99) * 1000
            counted = {s: statuses.count(s) for s in sorted(set(statuses))}
            print(f"scans: {rps:.0f} scans/s, p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms "
                  f"({len(lat)} scans of {len(scanned)} passes at {len(DOORS)} entrances, "
                  f"{args.workers} workers)")  # fmt: skip
            print(f"  statuses: {counted} (201 entered, 200 already entered)")
            print(f"  ratio to /healthz: {rps / healthz_rps:.0%}; p99 target < 50 ms; "
                  f"{scan_cpu:.1f} ms server CPU per scan ({scan_cpu / healthz_cpu:.1f}× /healthz's)")  # fmt: skip
            if scans.rows:
                print(scans.report(seat=False))
            print(
                f"  load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
            )
            entries, doubles, missing, per_door = check_entries(url, scanned, data["day"])
            print(f"  database: {entries} entries for {len(scanned)} scanned passes, "
                  f"{doubles} passes with two entries a day, {missing} scanned passes without exactly one")  # fmt: skip
            print(f"  per entrance: {per_door}")
            duplicates = len(lat) - len(scanned)
            ok = (
                entries == len(scanned) and doubles == 0 and missing == 0
                and counted.get(201, 0) == len(scanned) and counted.get(200, 0) == duplicates
            )  # fmt: skip

        if args.only == "scans":
            print("directory pages skipped (--only scans)")
        elif data["directory"]:
            base = f"/exhibitions/{data['exhibition']}/"
            # The first page everyone lands on, and a filtered one (zone + keyword: the
            # keyword is folded in Python over the zone's candidates).
            pages = [
                ("first page", base),
                ("zone C + keyword", base + "?zone=C&q=" + quote("システム")),
            ]
            for label, path in pages:
                status, size, cards = page_facts(port, path)
                run_load(port, [("GET", path)] * 16, clients)
                cpu = server_cpu(server.pid)
                pages_timing = Breakdown()
                secs, lat, statuses = run_load(
                    port, [("GET", path)] * args.directory_requests, clients, pages_timing
                )
                each = (server_cpu(server.pid) - cpu) / len(lat) * 1000
                bad = sum(1 for s in statuses if s != 200) + (status != 200)
                print(f"directory, {label} ({cards} cards, {size / 1024:.0f} KB; {path}): "
                      f"p50 {pct(lat, 50) * 1000:.1f} ms, p95 {pct(lat, 95) * 1000:.1f} ms, "
                      f"p99 {pct(lat, 99) * 1000:.1f} ms, {len(lat) / secs:.0f} req/s "
                      f"({len(lat) / secs / healthz_rps:.0%} of /healthz's), non-200: {bad}, "
                      f"{each:.1f} ms server CPU each ({each / healthz_cpu:.1f}× /healthz's; "
                      f"target p95 < 60 ms)")  # fmt: skip
                if pages_timing.rows:
                    print(pages_timing.report(seat=False))
                secs, lat, _statuses = run_load(port, [("GET", path)] * 50, 1)
                print(f"  one client at a time: p50 {pct(lat, 50) * 1000:.1f} ms, "
                      f"p95 {pct(lat, 95) * 1000:.1f} ms")  # fmt: skip
                ok = ok and bad == 0
            print(f"  load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        else:
            print("directory page not built")
        print("RESULT:", "OK" if ok else "FAILED (entries or statuses)")
        return 0 if ok else 1
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
        drop_database(args.database_url, name)


if __name__ == "__main__":
    sys.exit(main())
