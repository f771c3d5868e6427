"""The dispatcher's own writes (claims and marks), each committed at once, one at a time."""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor

from flask import current_app

from booking.database import session_state_allowed
from booking.extensions import db


class Writes:
    """Where the dispatcher's own writes go, each committed at once, one at a time.

    On PostgreSQL: a connection in autocommit, so a mark is one statement and one round trip;
    a "sent" mark may run in a helper thread while the next message's envelope and data go out,
    but `wait()` (the SMTP connection's `before_data`) makes sure it is committed before that
    next message can be delivered, so a crash can still repeat only the message in hand.
    On SQLite: the session, committed each time.
    """

    def __init__(self, autocommit: bool = False, background: bool = True):
        """`background`: `submit` may run a write in a helper thread (else it runs at once)."""
        self.connection = None
        self._session_set = False
        self._executor: ThreadPoolExecutor | None = None
        self._pending: Future | None = None
        self._compiled: dict = {}  # (statement, parameter names) → (compiled, bind processors)
        self._driver_cursor = None
        self.blocked = 0.0  # seconds a caller waited on these writes (the bench shows it)
        if autocommit and db.engine.dialect.name == "postgresql":
            self.connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if background:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-mark")
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
        """Run a write in the background (PostgreSQL); the next write or `wait()` joins it.

        It goes to the driver as SQL compiled once per statement and set of parameters, its
        parameters converted by their column types as SQLAlchemy would (`bind_processor`):
        SQLAlchemy's own execution of a compiled statement costs twice the driver's
        (~40 µs), and this is the write made once per mail. Nothing is read back."""
        if self._executor is None:
            self.run(statement, params)
            return
        self.wait()
        form = self._driver_form(statement, params or {})
        if form is None:
            self._pending = self._executor.submit(self.connection.execute, statement, params)
        else:
            self._pending = self._executor.submit(self._cursor().execute, *form)

    def _driver_form(self, statement, params: dict) -> tuple[str, dict] | None:
        """(SQL, parameters) for the driver; None for a statement whose execution computes
        values of its own (a column's `onupdate` not given): SQLAlchemy runs that one."""
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
            self._compiled[key] = None if computed else (compiled, processors)
        form = self._compiled[key]
        if form is None:
            return None
        compiled, processors = form
        values = compiled.construct_params(params)
        for name, processor in processors.items():
            if name in values:
                values[name] = processor(values[name])
        return compiled.string, values

    def _cursor(self):
        """The driver's cursor on the marks' connection (autocommit, as the connection is)."""
        if self._driver_cursor is None:
            self._driver_cursor = self.connection.connection.driver_connection.cursor()
        return self._driver_cursor

    def settled(self) -> bool:
        """Whether `wait()` would return at once (no background write, or it is done)."""
        return self._pending is None or self._pending.done()

    def wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            started = time.perf_counter()
            try:
                pending.result()
            except Exception as exc:
                raise MarkFailed(repr(exc)) from exc
            finally:
                self.blocked += time.perf_counter() - started

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self._executor is not None:
                self._executor.shutdown(wait=True)
            if self._driver_cursor is not None:
                self._driver_cursor.close()
                self._driver_cursor = None
            if self.connection is not None:
                if self._session_set:
                    self.connection.exec_driver_sql("RESET synchronous_commit")  # back to the pool
                self.connection.close()
                self.connection = None


def _value(result, returning: bool, rows: bool):
    if rows:
        return result.mappings().all()
    return result.scalars().all() if returning else result.rowcount


class MarkFailed(Exception):
    """A background mark failed: the pass stops (its message is not the one in hand)."""
