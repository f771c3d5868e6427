"""One sitting: every bench of the hot paths, pretix beside the rush, and the table of targets.

    .venv/bin/python bench/sitting.py [--out DIR] [--pretix] [--rushes 3]
    .venv/bin/python bench/sitting.py --from DIR      # the table again, from a sitting's logs

Runs, one after the other on this machine (a quiet one: the figures are only comparable
within a sitting): the rush without the timing headers `--rushes` times (the first two before
pretix, the rest after it, so that a drift of the machine shows on both sides), pretix's rush
(`../shared/peers/pretix_rush.sh`, with `--pretix`; it installs pretix from PyPI once and keeps
it in /tmp/peer), the burst, the rush with its breakdown of the server's time, the rush through
PgBouncer, the fair (entrances and directory), the free slots on SQLite and PostgreSQL, the mail
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
    steps = [(f"rush{i}", bench("rush", "--no-timing")) for i in range(1, min(rushes, 2) + 1)]
    if pretix:
        env = "PEER_KEEP_VENV=1 PRETIX_SPEC=pretix==2026.8.0"
        peer = ROOT.parent / "shared" / "peers" / "pretix_rush.sh"
        steps.append(("pretix", ["env", *env.split(), "bash", str(peer)]))
    steps += [(f"rush{i}", bench("rush", "--no-timing")) for i in range(3, rushes + 1)]
    steps += [
        ("burst", bench("rush", "--no-timing", "--burst")),
        ("rush_timed", bench("rush")),
        ("pgbouncer", bench("rush", "--no-timing", "--pgbouncer")),
        ("exhibition", bench("exhibition")),
        ("slots_sqlite", bench("slots")),
        ("slots_pg", bench("slots", "--database-url", f"{SERVER}/tsunagu_slots")),
        *[(f"dispatch{i}", bench("dispatch")) for i in (1, 2, 3)],
        ("dispatch_full", bench("dispatch", "--full")),
        ("rush_profile", bench("rush_profile")),
    ]
    return steps


def run(out: Path, rushes: int, pretix: bool) -> None:
    import psycopg

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
    finally:
        with psycopg.connect(f"{SERVER.replace('+psycopg', '')}/postgres", autocommit=True) as c:
            for name in OWN_DATABASES:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _find(text: str, pattern: str, group: int = 1) -> float | None:
    match = re.search(pattern, text, re.M)
    return float(match.group(group).replace(",", "")) if match else None


def _log(out: Path, name: str) -> str:
    path = out / f"{name}.log"
    return path.read_text(errors="replace") if path.exists() else ""


def rush_figures(text: str, label: str = "rush") -> dict | None:
    rate = _find(text, rf"^{label}: (\d+) registrations/s")
    if rate is None:
        return None
    return {
        "rate": rate, "healthz": _find(text, r"^/healthz: (\d+) req/s"),
        "p99": _find(text, rf"^{label}: .* p99 ([\d.]+) ms"),
        "ratio": _find(text, rf"^{label}: [\s\S]*?ratio to /healthz: ([\d.]+)"),
        "five": _find(text, rf"^{label}: [\s\S]*?5xx: (\d+)"),
        "exact": "RESULT: OK" in text,
    }  # fmt: skip


def table(out: Path) -> list[tuple[str, str, str, bool | None]]:
    """(target, the figures, what it asks, met in every run?)."""
    rows: list[tuple[str, str, str, bool | None]] = []
    names = sorted(p.stem for p in out.glob("rush[0-9]*.log"))
    rushes = [f for f in (rush_figures(_log(out, n)) for n in names) if f]
    if rushes:
        figures = ", ".join(
            f"{r['ratio']:.2f} ({r['rate']:.0f} ÷ {r['healthz']:.0f})" for r in rushes
        )
        rows.append(("rush: registrations/s ÷ /healthz/s", figures, "≥ 0.30",
                     all(r["ratio"] >= 0.30 for r in rushes)))  # fmt: skip
        rows.append(("rush p99", ", ".join(f"{r['p99']:.0f} ms" for r in rushes), "< 300 ms",
                     all(r["p99"] < 300 for r in rushes)))  # fmt: skip
    pretix = _log(out, "pretix")
    peer_rate = _find(pretix, r"^rush requests/s\s*: min [\d.]+\s+median ([\d.]+)")
    peer_p99 = _find(pretix, r"^rush p99 ms\s*: min [\d.]+\s+median ([\d.]+)")
    if rushes and peer_rate and peer_p99:
        rows.append((f"rate vs pretix (median {peer_rate:.1f} orders/s)",
                     ", ".join(f"{r['rate'] / peer_rate:.1f}×" for r in rushes), "≥ 10×",
                     all(r["rate"] / peer_rate >= 10 for r in rushes)))  # fmt: skip
        rows.append((f"p99 vs pretix (median {peer_p99:.0f} ms)",
                     ", ".join(f"1/{peer_p99 / r['p99']:.1f}" for r in rushes), "≤ 1/20",
                     all(peer_p99 / r["p99"] >= 20 for r in rushes)))  # fmt: skip
    timed = _log(out, "rush_timed")
    wait = _find(timed, r"waitlisted \(\d+\): .*seat UPDATE ([\d.]+) ms \(p99 ([\d.]+)", 2)
    if wait is not None:
        rows.append(("a waitlisted answer's wait on the seat lock", f"p99 {wait:.1f} ms",
                     "never waits", wait == 0))  # fmt: skip
    burst = rush_figures(_log(out, "burst"), "burst")
    if burst:
        rows.append(("burst: 3,000 from 300 clients, 500 seats",
                     f"{burst['rate']:.0f}/s, p99 {burst['p99']:.0f} ms, 5xx {burst['five']:.0f}, "
                     f"counts {'exact' if burst['exact'] else 'WRONG'}",
                     "0 5xx, exact, p99 < 2 s",
                     burst["five"] == 0 and burst["exact"] and burst["p99"] < 2000))  # fmt: skip
    slots = [(n, _find(_log(out, n), r"^target median < 10 ms: warm ([\d.]+) ms"))
             for n in ("slots_sqlite", "slots_pg")]  # fmt: skip
    slots = [(n, v) for n, v in slots if v is not None]
    if slots:
        rows.append(("any-advisor free slots, warm median",
                     ", ".join(f"{v:.2f} ms {n[6:]}" for n, v in slots), "< 10 ms",
                     all(v < 10 for _n, v in slots)))  # fmt: skip
    fair = _log(out, "exhibition")
    scans = _find(fair, r"^scans: .* p99 ([\d.]+) ms")
    if scans is not None:
        rows.append(("fair entrances, 8 scanners", f"p99 {scans:.1f} ms", "< 50 ms", scans < 50))
    directory = _find(fair, r"^directory, first page .*?p95 ([\d.]+) ms")
    if directory is not None:
        rows.append(("exhibitor directory, 8 clients", f"p95 {directory:.1f} ms", "< 60 ms",
                     directory < 60))  # fmt: skip
    shares = [_find(_log(out, n), r"^  2 dispatcher\(s\):\s+\d+ messages/s = ([\d.]+)%")
              for n in ("dispatch1", "dispatch2", "dispatch3", "dispatch_full")]  # fmt: skip
    shares = [s for s in shares if s is not None]
    if shares:
        rows.append(("2 dispatchers ÷ bare smtplib loop", ", ".join(f"{s / 100:.2f}" for s in shares),
                     "≥ 0.8 every run", all(s >= 80 for s in shares)))  # fmt: skip
    rss = [_find(_log(out, n), r"largest worker VmRSS ([\d.]+) MB") for n in [*names, "rush_timed"]]
    rss = [r for r in rss if r is not None]
    if rss:
        rows.append(("gunicorn worker RSS after the rush", f"{min(rss):.1f}–{max(rss):.1f} MB",
                     "≤ 120 MB", max(rss) <= 120))  # fmt: skip
    return rows


def report(out: Path) -> int:
    rows = table(out)
    width = max(len(r[0]) for r in rows) if rows else 0
    print(f"\nthe targets, from {out}:")
    for target, figures, asks, met in rows:
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
    peers = [r[3] for r in rows]
    print(f"{sum(1 for m in peers if m)} of {len(peers)} targets met in every run")
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
    run(out, max(args.rushes, 1), args.pretix)
    return report(out)


if __name__ == "__main__":
    sys.exit(main())
