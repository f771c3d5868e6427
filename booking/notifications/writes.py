"""The dispatcher's own writes (claims and marks), each committed at once, one at a time."""

from __future__ import annotations

import re
import select
import time

from flask import current_app
from psycopg import pq
from psycopg.adapt import PyFormat, Transformer

from booking.database import session_state_allowed
from booking.extensions import db


class Writes:
    """Where the dispatcher's own writes go, each committed at once, one at a time.

    On PostgreSQL: a connection in autocommit, so a mark is one statement and one round trip;
    a "sent" mark may be sent without waiting (`submit`) and run by the server while the next
    message's envelope and data go out, but `wait()` (the SMTP connection's `before_data`)
    makes sure it is committed before that next message can be delivered, so a crash can
    still repeat only the message in hand.
    On SQLite: the session, committed each time.
    """

    def __init__(self, autocommit: bool = False, background: bool = True):
        """`background`: `submit` may leave a write running (else it runs at once)."""
        self.connection = None
        self._session_set = False
        self._background = False
        self._pending: _Sent | None = None
        self._compiled: dict = {}  # (statement, parameter names) → its form for libpq
        self._transformer: Transformer | None = None
        self.blocked = 0.0  # seconds a caller waited on these writes (the bench shows it)
        if autocommit and db.engine.dialect.name == "postgresql":
            self.connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self._background = background
            self._session_set = (
                background
                and not current_app.config.get("MAIL_MARKS_SYNCHRONOUS", True)
                and session_state_allowed()
            )
            if self._session_set:
                # Behind PgBouncer (transaction pooling) a session SET would stay on a server
                # connection other clients get next: the marks are synchronous there.
                # A mark need not wait for its WAL flush (1.8 ms → 0.3 ms here). Other
                # dispatchers see it at once; only a crash of the database server itself
                # could lose the last ~0.6 s of marks, and then those messages are sent
                # again after their lease: never lost. Only with MAIL_MARKS_SYNCHRONOUS=0.
                self.connection.exec_driver_sql("SET synchronous_commit TO OFF")

    def run(self, statement, params: dict | None = None, returning=False, rows=False):
        """`statement`, committed; returns its rowcount, or what it RETURNs: the first column
        (`returning`) or every column of each row, as mappings (`rows`)."""
        self.wait()
        started = time.perf_counter()
        try:
            if self.connection is not None:
                return _value(self.connection.execute(statement, params), returning, rows)
            value = _value(db.session.connection().execute(statement, params), returning, rows)
            db.session.commit()
            return value
        finally:
            self.blocked += time.perf_counter() - started

    def submit(self, statement, params: dict | None = None) -> None:
        """Send a write and go on (PostgreSQL); the next write, `wait()` or `settled()`
        reads its answer. Nothing is read back but success.

        It goes out through libpq's asynchronous call, in this thread: no helper thread to
        hand it to and take the answer from (two switches of the GIL per mail, each behind
        whatever the rendering thread is doing). The SQL is SQLAlchemy's, compiled once per
        statement and set of parameters, the parameters converted by their column types as
        SQLAlchemy would (`bind_processor`), then by psycopg's own dumpers."""
        if not self._background:
            self.run(statement, params)
            return
        self.wait()
        form = self._libpq_form(statement, params or {})
        if form is None:
            self.run(statement, params)
            return
        query, names, compiled, processors = form
        values = compiled.construct_params(params)
        for name, processor in processors.items():
            if name in values:
                values[name] = processor(values[name])
        driver = self.connection.connection.driver_connection
        if self._transformer is None:  # psycopg's dumpers, looked up once per type
            self._transformer = Transformer.from_context(driver)
        transformer = self._transformer
        dumped = transformer.dump_sequence([values[n] for n in names], [PyFormat.AUTO] * len(names))
        self._pending = _Sent(driver.pgconn, query, dumped, transformer.types, transformer.formats)

    def _libpq_form(self, statement, params: dict):
        """(SQL with $1…, parameter names in that order, compiled, bind processors); None for
        a statement whose execution computes values of its own (a column's `onupdate` not
        given): SQLAlchemy runs that one."""
        key = (statement, frozenset(params))
        if key not in self._compiled:
            dialect = self.connection.dialect
            compiled = statement.compile(dialect=dialect, column_keys=list(params))
            processors = {
                name: processor
                for name, bind in compiled.binds.items()
                if (processor := bind.type.bind_processor(dialect)) is not None
            }
            computed = compiled.insert_prefetch or compiled.update_prefetch
            if computed:
                self._compiled[key] = None
            else:
                query, names = _numbered(compiled.string)
                encoding = self.connection.connection.driver_connection.info.encoding
                self._compiled[key] = (query.encode(encoding), names, compiled, processors)
        return self._compiled[key]

    def settled(self) -> bool:
        """Whether `wait()` would return at once (nothing sent, or its answer is in)."""
        if self._pending is None:
            return True
        try:
            return self._pending.done()
        except Exception:
            return True  # `wait()` raises it at once

    def wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            started = time.perf_counter()
            try:
                pending.result()
            except Exception as exc:
                # The connection may hold a half-read answer: never back to the pool.
                self.connection.invalidate()
                raise MarkFailed(repr(exc)) from exc
            finally:
                self.blocked += time.perf_counter() - started

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self.connection is not None:
                connection, self.connection = self.connection, None
                try:
                    if self._session_set and not connection.invalidated:
                        connection.exec_driver_sql("RESET synchronous_commit")  # back to the pool
                except Exception:
                    # A send that failed may leave the connection mid-answer: never pooled.
                    connection.invalidate()
                    raise
                finally:
                    connection.close()


# psycopg's placeholders (`%(name)s`, `%%` for a percent sign), numbered as libpq takes them.
_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


def _numbered(sql: str) -> tuple[str, list[str]]:
    names: list[str] = []

    def number(match: re.Match) -> str:
        name = match.group(1)
        if name is None:
            return "%"
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    return _PLACEHOLDER.sub(number, sql), names


class _Sent:
    """A statement sent on a connection in autocommit that nobody else uses meanwhile (libpq's
    asynchronous query); the server runs and commits it while the caller goes on. Done when
    the server said it is ready again (after the commit), not at the statement's own answer."""

    def __init__(self, pgconn: pq.abc.PGconn, query: bytes, params, types, formats):
        self.pgconn = pgconn
        self.finished = False
        self.error: str | None = None
        pgconn.send_query_params(query, params, types, formats)
        while pgconn.flush():  # a non-blocking connection: the rest when the socket takes it
            _wait_for(pgconn.socket, select.POLLOUT)

    def done(self) -> bool:
        """Read what has arrived, without waiting; whether the answer is complete."""
        if not self.finished:
            self.pgconn.consume_input()
            self._read()
        return self.finished

    def result(self) -> None:
        """Wait for the complete answer; raise the statement's error, if any."""
        while not self.done():
            _wait_for(self.pgconn.socket, select.POLLIN)
        if self.error is not None:
            raise RuntimeError(self.error)

    def _read(self) -> None:
        pgconn = self.pgconn
        while not pgconn.is_busy():
            result = pgconn.get_result()
            if result is None:  # ReadyForQuery: the implicit transaction is committed
                self.finished = True
                return
            if result.status not in (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK):
                self.error = self.error or result.error_message.decode(errors="replace")


def _wait_for(fd: int, events: int) -> None:
    poller = select.poll()
    poller.register(fd, events | select.POLLERR | select.POLLHUP)
    poller.poll()


def _value(result, returning: bool, rows: bool):
    if rows:
        return result.mappings().all()
    return result.scalars().all() if returning else result.rowcount


class MarkFailed(Exception):
    """A background mark failed: the pass stops (its message is not the one in hand)."""
