"""A throwaway PgBouncer in transaction-pooling mode in front of a PostgreSQL server.

Used by `bench/rush.py --pgbouncer` and by `ci/pgbouncer.sh` (the PostgreSQL concurrency tests
through it). It listens on a free port of 127.0.0.1 and passes every database name through to
the server of the URL it is given, with trust authentication (the server's own rules apply).

    .venv/bin/python bench/pgbouncer.py postgresql://postgres@127.0.0.1:5432/x   # prints its URL
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import make_url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgBouncer:
    def __init__(self, server_url: str, pool_size: int = 20):
        self.server = make_url(server_url)
        self.pool_size = pool_size
        self.port = _free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="tsunagu-pgbouncer-"))
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The server URL with PgBouncer's host and port instead."""
        return self.server.set(host="127.0.0.1", port=self.port).render_as_string(
            hide_password=False
        )

    def start(self) -> None:
        user = self.server.username or "postgres"
        (self.dir / "userlist.txt").write_text(f'"{user}" "{self.server.password or ""}"\n')
        (self.dir / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"* = host={self.server.host or '127.0.0.1'} port={self.server.port or 5432}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {self.dir / 'userlist.txt'}\n"
            "pool_mode = transaction\n"
            f"default_pool_size = {self.pool_size}\nmax_client_conn = 2000\n"
            # psycopg sends no startup options PgBouncer would refuse; SQLAlchemy none either.
            "ignore_startup_parameters = extra_float_digits\n"
            f"logfile = {self.dir / 'pgbouncer.log'}\nlog_connections = 0\nlog_disconnections = 0\n"
        )
        command = [
            shutil.which("pgbouncer") or "/usr/sbin/pgbouncer",
            str(self.dir / "pgbouncer.ini"),
        ]
        if os.geteuid() == 0:  # PgBouncer refuses to run as root
            shutil.chown(self.dir, "postgres")
            for f in self.dir.iterdir():
                shutil.chown(f, "postgres")
            command = ["runuser", "-u", "postgres", "--", *command]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        log = self.dir / "pgbouncer.log"
        raise RuntimeError(f"PgBouncer did not start: {log.read_text() if log.exists() else ''}")

    def stop(self) -> None:
        if self.process is not None:
            # Its own process group: `runuser` and the PgBouncer under it.
            for sig in (signal.SIGINT, signal.SIGKILL):  # a clean shutdown, else at once
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, sig)
                try:
                    self.process.wait(5)
                    break
                except subprocess.TimeoutExpired:
                    continue
            self.process = None
        shutil.rmtree(self.dir, ignore_errors=True)


if __name__ == "__main__":  # pragma: no cover - ci/pgbouncer.sh starts one this way
    bouncer = PgBouncer(sys.argv[1])
    bouncer.start()

    def _stop(*_):
        bouncer.stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(bouncer.url, flush=True)
    bouncer.process.wait()
