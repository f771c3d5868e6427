"""What the one-process profiles share (`rush_profile.py`, `scan_profile.py`,
`directory_profile.py`): the SQL statement counter, CPU clocks for one request, the
`/healthz` baseline and the PostgreSQL server's CPU over a measured loop.

The server's CPU is the user + system time of the processes named `postgres` on this machine
(/proc/<pid>/comm), read before and after a loop of requests: it says how much of a request's
cost is the database's. The whole server's figure holds its background processes (the WAL
writer) and any other client's backends too, so read it on a quiet server; the app's own
backends' figure is beside it. 0 where there is no /proc or the server runs elsewhere.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def add_database_argument(parser, name: str) -> None:
    """`--database-url`: the server (and the name the bench's own database is named after)."""
    default = os.environ.get(
        "BENCH_DATABASE_URL", f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    )
    parser.add_argument("--database-url", default=default)


@contextmanager
def own_database(server_url: str, suffix: str, **environ: str) -> Iterator[str]:
    """A fresh database `<name><suffix>` on the server, upgraded to the current schema and
    named in the environment for the app (with `environ`); dropped afterwards. Enter it
    before importing `booking`: the configuration reads its environment when imported."""
    from bench.rush import drop_database, make_database

    name = server_url.rsplit("/", 1)[1] + suffix
    url = make_database(server_url, name)
    os.environ.update(DATABASE_URL=url, SECRET_KEY=secrets.token_hex(32), SCHEDULER_ENABLED="0",
                      MAIL_BACKEND="console", TSUNAGU_ENV="development", **environ)  # fmt: skip
    try:
        flask = Path(sys.executable).parent / "flask"
        subprocess.run([str(flask), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
        yield url
    finally:
        drop_database(server_url, name)


def count_statements(app) -> list[str]:
    """A list that receives the kind of each statement the app's engine runs (`SELECT users`,
    `UPDATE frames` …); clear it before a request, read it after."""
    from sqlalchemy import event

    from bench.server_timing import statement_kind
    from booking.extensions import db

    kinds: list[str] = []
    with app.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def _count(conn, cursor, statement, *rest):
            kinds.append(statement_kind(statement))

    return kinds


def healthz_cpu_ms(client, requests: int = 200, warm_up: int = 20) -> float:
    """`/healthz`'s thread CPU (ms, mean over `requests` after `warm_up`): the baseline."""
    spent = []
    for i in range(warm_up + requests):
        t = time.thread_time()
        client.get("/healthz")
        if i >= warm_up:
            spent.append(time.thread_time() - t)
    return 1000 * sum(spent) / len(spent)


@dataclass
class Spent:
    """One request's CPU in seconds: this thread's, and the process's (any helper threads)."""

    thread: float = 0.0
    process: float = 0.0
    _started: tuple[float, float] = field(default=(0.0, 0.0), repr=False)

    def __enter__(self) -> Spent:
        self._started = (time.thread_time(), time.process_time())
        return self

    def __exit__(self, *exc) -> None:
        thread, process = self._started
        self.thread = time.thread_time() - thread
        self.process = time.process_time() - process


def postgres_cpu_ticks() -> dict[tuple[int, str], int]:
    """User + system CPU so far (clock ticks) of each `postgres` process on this machine, by
    (pid, start time): a pid reused by a new process is another process."""
    ticks = {}
    proc = Path("/proc")
    for entry in proc.iterdir() if proc.is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "postgres":
                continue
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        # The fields after the command's closing parenthesis, from the 3rd (state): utime and
        # stime are the 14th and 15th, the start time the 22nd.
        fields = stat.rpartition(")")[2].split()
        ticks[(int(entry.name), fields[19])] = int(fields[11]) + int(fields[12])
    return ticks


def own_backends(app) -> set[int]:
    """A set that receives the server pid of each connection the app's engine checks out."""
    from sqlalchemy import event

    from booking.extensions import db

    pids: set[int] = set()
    with app.app_context():

        @event.listens_for(db.engine, "checkout")
        def _checkout(dbapi_connection, record, proxy):
            info = getattr(dbapi_connection, "info", None)  # psycopg's ConnectionInfo
            if hasattr(info, "backend_pid"):
                pids.add(info.backend_pid)

    return pids


class ServerCPU:
    """The PostgreSQL server's CPU over a loop: `with ServerCPU(own_backends(app)) as pg: …`,
    then `pg.line(requests)`. Counted: every `postgres` process alive at the end, from the
    start (or from its birth); a process that ended meanwhile is left out (its last CPU is
    unknown). Apart: the app's own backends, which no other client of the server shares."""

    def __init__(self, own: set[int] | None = None) -> None:
        self.own = own if own is not None else set()
        self.seconds = self.own_seconds = 0.0

    def __enter__(self) -> ServerCPU:
        self._started = postgres_cpu_ticks()
        return self

    def __exit__(self, *exc) -> None:
        ended = postgres_cpu_ticks()
        spent = {key: ticks - self._started.get(key, 0) for key, ticks in ended.items()}
        self.seconds = sum(spent.values()) / _CLOCK_TICKS
        self.own_seconds = sum(t for (pid, _), t in spent.items() if pid in self.own) / _CLOCK_TICKS

    def line(self, requests: int, what: str = "request") -> str:
        n = max(requests, 1)
        return (
            f"PostgreSQL server CPU {1000 * self.seconds / n:.2f} ms per {what} (all postgres "
            f"processes), {1000 * self.own_seconds / n:.2f} ms in this app's own backends "
            f"({requests} {what}s)"
        )
