"""Engine set-up that differs between SQLite (development) and PostgreSQL (production)."""

from __future__ import annotations

import select

from flask import current_app
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError


def configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout and `BEGIN IMMEDIATE`, so concurrent requests wait instead of failing.

    pysqlite would otherwise start transactions lazily (deferred), and two requests that
    read and then write would deadlock into `database is locked`. Taking the write lock
    when the transaction begins makes the second one wait for `busy_timeout` instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def configure_pooler(config: dict) -> None:
    """Engine options for PostgreSQL behind PgBouncer in transaction pooling (before the engine
    is made).

    Each transaction may run on another server connection there, so nothing may outlive a
    transaction on the server: psycopg's server-side prepared statements (it prepares a query
    run 5 times) are switched off, and the app keeps no session state (advisory locks are
    transaction-level, `SET` only as `SET LOCAL`; see `session_state_allowed`).
    """
    url = str(config.get("SQLALCHEMY_DATABASE_URI", ""))
    if config.get("DATABASE_PGBOUNCER") and url.startswith("postgresql"):
        options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options["connect_args"] = {**options.get("connect_args", {}), "prepare_threshold": None}
        config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def session_state_allowed() -> bool:
    """Whether a connection's session settings stay with it (not behind a transaction pooler)."""
    return not current_app.config.get("DATABASE_PGBOUNCER", False)


def describe_columns_lazily(engine: Engine) -> None:
    """PostgreSQL connections make cursors that build `cursor.description` only when it is
    read (see `booking.pgcursor`); a cursor class chosen in the engine options is kept."""
    if engine.dialect.name != "postgresql" or engine.dialect.driver != "psycopg":
        return
    import psycopg

    from booking.pgcursor import LazyDescriptionCursor

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        if dbapi_connection.cursor_factory is psycopg.Cursor:
            dbapi_connection.cursor_factory = LazyDescriptionCursor


def check_liveness_on_checkout(engine: Engine) -> None:
    """A pooled PostgreSQL connection is pinged only when the server spoke to it while idle.

    A server that restarts (or ends a backend) sends its goodbye and closes the socket, so the
    idle connection's socket turns readable: a poll with no wait (a system call, no round
    trip) tells, instead of a `SELECT 1` before every request (`pool_pre_ping`). Then, and
    only then, the connection is pinged; a failed ping (or a closed socket) makes the pool
    drop it and connect again, so no request meets the dead connection. Anything else the
    server may send unasked (a notice) costs one ping, not a reconnect.
    """
    if engine.dialect.name != "postgresql":
        return  # SQLite: a file, nothing to lose

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, _record, _proxy):
        try:
            if not server_spoke(dbapi_connection.fileno()):
                return
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # psycopg's own errors: closed, broken or a failed ping
            raise DisconnectionError(str(exc)) from exc


def server_spoke(fd: int) -> bool:
    """Whether the idle connection's socket has something to read (its goodbye or EOF)."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))


def trigger_names(connection, prefix: str) -> set[str]:
    """The names of the database's own triggers that start with `prefix` (the caches' version
    triggers: a migration that rebuilds a table on SQLite loses its triggers, and the migration
    test checks they are all there)."""
    if connection.dialect.name == "postgresql":
        sql = "SELECT DISTINCT tgname FROM pg_trigger WHERE NOT tgisinternal"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    return {name for (name,) in connection.exec_driver_sql(sql) if name.startswith(prefix)}
