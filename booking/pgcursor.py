"""A psycopg cursor whose `description` builds its `Column`s only when someone reads them.

psycopg builds a `Column` per result column (name decoded, type looked up) every time
`cursor.description` is read, and SQLAlchemy reads it after every statement, if only to see
whether the statement returned rows: a statement it has run before keeps the columns it
worked out the first time and never looks at them again. The users row alone has 22
columns, read on every API request. Here `description` is a sequence over the result of
that statement (kept, so a later statement on the same cursor does not change it) that
makes the `Column`s on first use, exactly as psycopg would have.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
from psycopg import Column
from psycopg.pq import ExecStatus

_WITH_ROWS = (ExecStatus.TUPLES_OK, ExecStatus.SINGLE_TUPLE, ExecStatus.TUPLES_CHUNK)


class _ResultOf:
    """What `Column` reads from a cursor, fixed to one result."""

    __slots__ = ("_encoding", "adapters", "pgresult")

    def __init__(self, pgresult, encoding: str, adapters) -> None:
        self.pgresult, self._encoding, self.adapters = pgresult, encoding, adapters


class LazyDescription(Sequence):
    __slots__ = ("_columns", "_cursor", "_pgresult")

    def __init__(self, cursor: psycopg.Cursor, pgresult) -> None:
        self._cursor, self._pgresult = cursor, pgresult
        self._columns: list[Column] | None = None

    def _built(self) -> list[Column]:
        if self._columns is None:
            source: Any = _ResultOf(self._pgresult, self._cursor._encoding, self._cursor.adapters)
            self._columns = [Column(source, i) for i in range(self._pgresult.nfields)]
            self._cursor = None  # type: ignore[assignment]  # nothing more to read from it
        return self._columns

    def __len__(self) -> int:
        return self._pgresult.nfields

    def __getitem__(self, index):
        return self._built()[index]

    def __iter__(self) -> Iterator[Column]:
        return iter(self._built())

    def __eq__(self, other: object) -> bool:
        return list(self) == other

    def __repr__(self) -> str:
        return repr(self._built())


class LazyDescriptionCursor(psycopg.Cursor):
    @property
    def description(self) -> LazyDescription | None:  # type: ignore[override]
        # The same test as psycopg's own `description`: columns when the result has fields,
        # or when it says it returned rows (`SELECT ;`).
        res = self.pgresult
        if res and (res.nfields or res.status in _WITH_ROWS):
            return LazyDescription(self, res)
        return None
