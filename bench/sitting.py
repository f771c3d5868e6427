"""One sitting: every bench of the hot paths, pretix beside the rush, and the table of targets.

    .venv/bin/python bench/sitting.py [--out DIR] [--pretix] [--rushes 3]
    .venv/bin/python bench/sitting.py --from DIR      # the table again, from a sitting's logs

Runs, one after the other on this machine (a quiet one: the figures are only comparable
within a sitting): the rush without the timing headers `--rushes` times (the first two before
pretix, the rest after it, so that a drift of the machine shows on both sides), pretix's rush
(`../shared/peers/pretix_rush.sh`, with `--pretix`; it installs pretix from PyPI once and keeps
it in /tmp/peer), the burst, the rush with its breakdown of the server's time, the rush through
PgBouncer, the fair (entrances and directory: the targets' run without the timing headers,
then one with them for the breakdown), the free slots on SQLite and PostgreSQL, the mail
dispatchers three times and once with 5,000 mails, and the rush in one process (CPU and calls
per registration). Each bench's output is kept in DIR (default /tmp/sitting-<time>). Then it
prints every target of the performance issue: the figures of each run, and whether every run
met it. The pretix rows compare each rush with pretix's median of the same sitting.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
# Benches that connect to a database of this name (and make their own tables in it).
OWN_DATABASES = ("tsunagu_slots", "tsunagu_notify_bench")


def plan(rushes: int, pretix: bool) -> list[tuple[str, list[str]]]:
    bench = lambda name, *args: [PY, str(ROOT / "bench" / f"{name}.py"), *args]  # noqa: E731
    rush = bench("rush", "--no-timing", "--sold-out")
    steps = [(f"rush{i}", rush) for i in range(1, min(rushes, 2) + 1)]
    if pretix:
        env = "PEER_KEEP_VENV=1 PRETIX_SPEC=pretix==2026.8.0"
        peer = ROOT.parent / "shared" / "peers" / "pretix_rush.sh"
        steps.append(("pretix", ["env", *env.split(), "bash", str(peer)]))
    steps += [(f"rush{i}", rush) for i in range(3, rushes + 1)]
    steps += [
        ("burst", bench("rush", "--no-timing", "--burst")),
        ("rush_timed", bench("rush")),
        ("pgbouncer", bench("rush", "--no-timing", "--pgbouncer")),
        ("exhibition", bench("exhibition", "--no-timing")),
        ("exhibition_timed", bench("exhibition")),
        ("slots_sqlite", bench("slots")),
        ("slots_pg", bench("slots", "--database-url", f"{SERVER}/tsunagu_slots")),
        *[(f"dispatch{i}", bench("dispatch")) for i in (1, 2, 3)],
        ("dispatch_full", bench("dispatch", "--full")),
        ("rush_profile", bench("rush_profile")),
    ]
    return steps


def run(out: Path, rushes: int, pretix: bool) -> list[str]:
    """Run the sitting; the names of the benches that failed (exit status not 0)."""
    import psycopg

    failed = []

    with psycopg.connect(f"{SERVER.replace('+psycopg', '')}/postgres", autocommit=True) as conn:
        for name in OWN_DATABASES:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        for name, command in plan(rushes, pretix):
            started = time.perf_counter()
            with open(out / f"{name}.log", "w") as log:
                code = subprocess.call(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            print(f"{name}: exit {code}, {time.perf_counter() - started:.0f} s", flush=True)
            if code:
                failed.append(name)
    finally:
        with psycopg.connect(f"{SERVER.replace('+psycopg', '')}/postgres", autocommit=True) as c:
            for name in OWN_DATABASES:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return failed


def _find(text: str, pattern: str, group: int = 1) -> float | None:
    match = re.search(pattern, text, re.M)
    return float(match.group(group).replace(",", "")) if match else None


def _log(out: Path, name: str) -> str:
    path = out / f"{name}.log"
    return path.read_text(errors="replace") if path.exists() else ""


def rush_figures(text: str, label: str = "rush", waitlist: bool = True) -> dict | None:
    rate = _find(text, rf"^{label}: (\d+) registrations/s")
    if rate is None:
        return None
    return {
        "rate": rate, "healthz": _find(text, r"^/healthz: (\d+) req/s"),
        "p99": _find(text, rf"^{label}: .* p99 ([\d.]+) ms"),
        "ratio": _find(text, rf"^{label}: [\s\S]*?ratio to /healthz: ([\d.]+)"),
        "five": _find(text, rf"^{label}: [\s\S]*?5xx: (\d+)"),
        "exact": _exact(text, label, waitlist),
    }  # fmt: skip


def _exact(text: str, label: str, waitlist: bool = True) -> bool:
    """Whether this phase's counts are exact: min(seats, requests) confirmed, the rest
    waitlisted (without a waitlist: none waitlisted, the rest answered 409), the frame's seats
    taken = confirmed."""
    asked = re.search(rf"^{label}: .*\((\d+) requests, .* (\d+) seats\)", text, re.M)
    counted = re.search(rf"^{label}: [\s\S]*?confirmed/waitlisted: (\d+)/(\d+) "
                        r"\(frame taken (\d+)/", text, re.M)  # fmt: skip
    if not (asked and counted):
        return False
    requests, seats = map(int, asked.groups())
    confirmed, waitlisted, taken = map(int, counted.groups())
    seated, rest = min(seats, requests), requests - min(seats, requests)
    if not waitlist:
        refused = _find(text, rf"^{label}: [\s\S]*?statuses: {{.*409: (\d+)")
        return (confirmed, waitlisted, taken, refused) == (seated, 0, seated, rest)
    return (confirmed, waitlisted, taken) == (seated, rest, seated)


# Every target the table must show: a bench that failed or printed nothing shows "no figures".
TARGETS = {
    "rush ratio": "≥ 0.30", "rush p99": "< 300 ms", "rate vs pretix": "≥ 10×",
    "p99 vs pretix": "≤ 1/20", "rate vs pretix, sold out as pretix's rush": "≥ 10×",
    "p99 vs pretix, sold out as pretix's rush": "≤ 1/20", "waitlisted answer's wait on the seat lock": "never waits",
    "burst": "0 5xx, exact, p99 < 2 s", "free slots, warm median": "< 10 ms",
    "free slots, after a change": "< 10 ms", "fair entrances, 8 scanners": "p99 < 50 ms",
    "exhibitor directory, 8 clients": "p95 < 60 ms", "2 dispatchers ÷ bare loop": "≥ 0.8",
    "worker RSS after the rush": "≤ 120 MB", "event list (the bench's own aim)": "p95 < 150 ms",
}  # fmt: skip


def table(out: Path) -> list[tuple[str, str, bool, str]]:
    """(target, the figures, met in every run?, what it asks), for every target of `TARGETS`;
    one whose bench failed or printed nothing is "no figures", not met."""
    found: dict[str, tuple[str, bool]] = {}
    names = sorted((p.stem for p in out.glob("rush[0-9]*.log")), key=lambda n: int(n[4:]))
    rushes = [f for f in (rush_figures(_log(out, n)) for n in names) if f]
    if rushes:
        sound = all(r["five"] == 0 and r["exact"] for r in rushes)
        found["rush ratio"] = (
            ", ".join(f"{r['ratio']:.2f} ({r['rate']:.0f} ÷ {r['healthz']:.0f})" for r in rushes)
            + ("" if sound else "; 5xx or counts WRONG"),
            sound and all(r["ratio"] >= 0.30 for r in rushes),
        )
        found["rush p99"] = (", ".join(f"{r['p99']:.0f} ms" for r in rushes),
                             all(r["p99"] < 300 for r in rushes))  # fmt: skip
    pretix = _log(out, "pretix")
    peer_rate = _find(pretix, r"^rush requests/s\s*: min [\d.]+\s+median ([\d.]+)")
    peer_p99 = _find(pretix, r"^rush p99 ms\s*: min [\d.]+\s+median ([\d.]+)")
    if rushes and peer_rate and peer_p99:
        found["rate vs pretix"] = (
            f"pretix median {peer_rate:.1f} requests/s: "
            + ", ".join(f"{r['rate'] / peer_rate:.1f}×" for r in rushes),
            all(r["rate"] / peer_rate >= 10 for r in rushes),
        )
        found["p99 vs pretix"] = (
            f"pretix median {peer_p99:.0f} ms: "
            + ", ".join(f"1/{peer_p99 / r['p99']:.1f}" for r in rushes),
            all(peer_p99 / r["p99"] >= 20 for r in rushes),
        )
    # pretix's rush has no waitlist: past its 50 seats it refuses. The same rush here, for a
    # frame without a waitlist, in the same runs.
    sold = [f for f in (rush_figures(_log(out, n), "sold-out rush", False) for n in names) if f]
    if sold and peer_rate and peer_p99:
        sound = all(r["five"] == 0 and r["exact"] for r in sold)
        key = "sold out as pretix's rush"
        found[f"rate vs pretix, {key}"] = (
            ", ".join(f"{r['rate']:.0f}/s = {r['rate'] / peer_rate:.1f}×" for r in sold)
            + ("" if sound else "; 5xx or counts WRONG"),
            sound and all(r["rate"] / peer_rate >= 10 for r in sold),
        )
        found[f"p99 vs pretix, {key}"] = (
            ", ".join(f"{r['p99']:.0f} ms = 1/{peer_p99 / r['p99']:.1f}" for r in sold),
            all(peer_p99 / r["p99"] >= 20 for r in sold),
        )
    wait = _find(_log(out, "rush_timed"),
                 r"waitlisted \(\d+\): .*seat UPDATE ([\d.]+) ms \(p99 (\d+)", 2)  # fmt: skip
    if wait is not None:  # the breakdown prints the p99 in whole milliseconds
        found["waitlisted answer's wait on the seat lock"] = (f"p99 {wait:.0f} ms", wait == 0)
    burst = rush_figures(_log(out, "burst"), "burst")
    if burst:
        found["burst"] = (
            f"{burst['rate']:.0f}/s, p99 {burst['p99']:.0f} ms, 5xx {burst['five']:.0f}, "
            f"counts {'exact' if burst['exact'] else 'WRONG'}",
            burst["five"] == 0 and burst["exact"] and burst["p99"] < 2000,
        )
    for key, pattern in (("free slots, warm median", r"warm ([\d.]+) ms"),
                         ("free slots, after a change", r"after a change ([\d.]+) ms")):  # fmt: skip
        values = [(n[6:], _find(_log(out, n), rf"^target median < 10 ms: .*{pattern}"))
                  for n in ("slots_sqlite", "slots_pg")]  # fmt: skip
        if all(v is not None for _n, v in values):
            found[key] = (", ".join(f"{v:.2f} ms {n}" for n, v in values),
                          all(v < 10 for _n, v in values))  # fmt: skip
    fair = _log(out, "exhibition")
    scans = _find(fair, r"^scans: .* p99 ([\d.]+) ms")
    if scans is not None:
        found["fair entrances, 8 scanners"] = (f"p99 {scans:.1f} ms", scans < 50)
    directory = _find(fair, r"^directory, first page .*?p95 ([\d.]+) ms")
    if directory is not None:
        found["exhibitor directory, 8 clients"] = (f"p95 {directory:.1f} ms", directory < 60)
    shares = [_find(_log(out, n), r"^  2 dispatcher\(s\):\s+\d+ messages/s = ([\d.]+)%")
              for n in ("dispatch1", "dispatch2", "dispatch3", "dispatch_full")]  # fmt: skip
    if all(v is not None for v in shares):
        found["2 dispatchers ÷ bare loop"] = (", ".join(f"{v / 100:.2f}" for v in shares),
                                              all(v >= 80 for v in shares))  # fmt: skip
    rss = [_find(_log(out, n), r"largest worker VmRSS ([\d.]+) MB") for n in [*names, "rush_timed"]]
    rss = [r for r in rss if r is not None]
    if rss:
        found["worker RSS after the rush"] = (f"{min(rss):.1f}–{max(rss):.1f} MB", max(rss) <= 120)
    lists = [float(m) for n in names for m in re.findall(r"^list page[^:]*: .*? p95 ([\d.]+) ms",
                                                          _log(out, n), re.M)]  # fmt: skip
    if lists:
        found["event list (the bench's own aim)"] = (
            f"{min(lists):.0f}–{max(lists):.0f} ms over {len(lists)} pages",
            max(lists) < 150,
        )
    return [(target, *found.get(target, ("no figures in the logs", False)), asks)
            for target, asks in TARGETS.items()]  # fmt: skip


def report(out: Path) -> int:
    rows = table(out)
    width = max(len(r[0]) for r in rows) if rows else 0
    print(f"\nthe targets, from {out}:")
    for target, figures, met, asks in rows:
        verdict = "met" if met else "NOT MET"
        print(f"  {target:<{width}}  {figures}  (target {asks}): {verdict}")
    extra = _log(out, "pgbouncer")
    bouncer = rush_figures(extra)
    if bouncer:
        print(f"  through PgBouncer: {bouncer['ratio']:.2f} ({bouncer['rate']:.0f} ÷ "
              f"{bouncer['healthz']:.0f}), p99 {bouncer['p99']:.0f} ms, 5xx {bouncer['five']:.0f}")  # fmt: skip
    profile = _log(out, "rush_profile")
    calls = _find(profile, r"function calls per profiled registration: (\d+)")
    if calls:
        print(f"  one process: {calls:.0f} Python calls per registration")
    print(f"{sum(1 for r in rows if r[2])} of {len(rows)} targets met in every run")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="where the logs go (default /tmp/sitting-<time>)")
    ap.add_argument("--from", dest="source", help="print the table from this sitting's logs")
    ap.add_argument("--pretix", action="store_true", help="pretix's rush in the sitting")
    ap.add_argument("--rushes", type=int, default=3, help="rushes without timing (≥ 1)")
    args = ap.parse_args()
    if args.source:
        return report(Path(args.source))
    out = Path(args.out or f"/tmp/sitting-{time.strftime('%Y%m%d-%H%M%S')}")
    out.mkdir(parents=True, exist_ok=True)
    print(f"the sitting's logs: {out} (load average {os.getloadavg()[0]:.1f} at the start)")
    failed = run(out, max(args.rushes, 1), args.pretix)
    report(out)
    if failed:
        print(f"benches that failed (see their logs in {out}): {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
