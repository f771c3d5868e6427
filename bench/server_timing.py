"""The benches' gunicorn entry: the app, plus where each request's time went (bench only).

`gunicorn bench.server_timing:app` serves the same app as `wsgi:app` and adds two headers to
every answer, which the benches add up (`bench/breakdown.py`):

- `Server-Timing`: `app` (wall time in the worker), `cpu` (the worker thread's CPU time),
  `sql` (time in SQL statements, `desc` = how many), `seat` (the seat's conditional
  `UPDATE frames`: the wait for the frame's row lock is in it), `held` (from the seat taken
  to the commit done: how long other registrations could queue behind it), `commit`;
- `X-Bench-SQL`: each statement's kind (`SELECT users`, `INSERT outbox_messages`, …) and ms.

Nothing here is imported by the app; production serves `wsgi:app`.
"""

from __future__ import annotations

import re
import time

from flask import g
from sqlalchemy import event

from booking.extensions import db
from wsgi import app

_KIND = re.compile(
    r"^\s*(?:(SELECT|DELETE)\b.*?\bFROM\s+\"?(\w+)|(INSERT INTO|UPDATE)\s+\"?(\w+)|(\w+(?: \w+)?))",
    re.IGNORECASE | re.DOTALL,
)
_PARENTHESES = re.compile(r"\([^()]*\)")


def statement_kind(statement: str) -> str:
    """`SELECT frames`, `UPDATE frames`, `INSERT INTO outbox_messages`, `SAVEPOINT` …"""
    outer = statement
    while (inner := _PARENTHESES.sub("", outer)) != outer:
        outer = inner  # a subquery's FROM (an EXISTS in the select list) names no statement
    m = _KIND.match(outer)
    if not m:
        return "?"
    if m.group(1):
        return f"{m.group(1).upper()} {m.group(2)}"
    if m.group(3):
        return f"{m.group(3).upper()} {m.group(4)}"
    words = m.group(5).upper()
    if "pg_advisory" in statement:
        return "SELECT advisory lock"
    return words if words in ("RELEASE SAVEPOINT", "ROLLBACK TO") else words.split()[0]


def _now_ms() -> float:
    return time.perf_counter() * 1000


def _timing():
    return g.get("_bench") if g else None


@app.before_request
def _start() -> None:
    g._bench = {
        "t0": _now_ms(),
        "cpu0": time.thread_time() * 1000,
        "sql": [],
        "seat": 0.0,
        "seat_at": None,
        "commit": 0.0,
        "commit_at": None,
        "committed": None,
    }


@app.after_request
def _report(response):
    t = _timing()
    if t is None:
        return response
    end = _now_ms()
    sql_ms = sum(ms for _, ms in t["sql"])
    held = (t["committed"] - t["seat_at"]) if t["seat_at"] and t["committed"] else 0.0
    response.headers["Server-Timing"] = ", ".join(
        (
            f"app;dur={end - t['t0']:.2f}",
            f"cpu;dur={time.thread_time() * 1000 - t['cpu0']:.2f}",
            f'sql;dur={sql_ms:.2f};desc="{len(t["sql"])}"',
            f"seat;dur={t['seat']:.2f}",
            f"held;dur={held:.2f}",
            f"commit;dur={t['commit']:.2f}",
        )
    )
    response.headers["X-Bench-SQL"] = ";".join(f"{kind}={ms:.2f}" for kind, ms in t["sql"])
    return response


with app.app_context():
    _engine = db.engine


@event.listens_for(_engine, "before_cursor_execute")
def _before(conn, cursor, statement, parameters, context, executemany):
    conn.info["_bench_t"] = _now_ms()


@event.listens_for(_engine, "after_cursor_execute")
def _after(conn, cursor, statement, parameters, context, executemany):
    t = _timing()
    if t is None:
        return
    ms = _now_ms() - conn.info.pop("_bench_t", _now_ms())
    kind = statement_kind(statement)
    t["sql"].append((kind, ms))
    if kind == "UPDATE frames" and "taken + " in statement:
        t["seat"] += ms  # every attempt: a failed one may have queued for the lock too
        if cursor.rowcount == 1:
            t["seat_at"] = t["seat_at"] or _now_ms()


@event.listens_for(_engine, "commit")
def _commit_starts(conn):
    t = _timing()
    if t is not None:
        t["commit_at"] = _now_ms()


def _commit_done(session) -> None:
    t = _timing()
    if t is not None and t["commit_at"] is not None:
        t["committed"] = _now_ms()
        t["commit"] += t["committed"] - t["commit_at"]


with app.app_context():
    event.listen(db.session, "after_commit", _commit_done)
