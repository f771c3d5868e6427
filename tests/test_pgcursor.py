"""PostgreSQL cursors describe their columns only when asked, and then as psycopg would."""

from __future__ import annotations

import psycopg
from sqlalchemy import text

from booking.extensions import db
from booking.pgcursor import LazyDescriptionCursor
from tests.conftest import make_app

QUERY = "SELECT 1 AS one, 'x'::varchar(3) AS letter, now() AS at, NULL::numeric(5, 2) AS money"


def _described(cursor) -> list[tuple]:
    return [tuple(column) for column in cursor.description]


def test_the_app_connections_describe_columns_like_psycopg(postgres_url, app):
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw.cursor_factory is LazyDescriptionCursor
        lazy = raw.cursor()
        lazy.execute(QUERY)
        plain = psycopg.Cursor(raw)
        plain.execute(QUERY)
        assert _described(lazy) == _described(plain)
        assert [c.name for c in lazy.description] == ["one", "letter", "at", "money"]
        assert len(lazy.description) == 4 and lazy.description[1].type_display == "varchar(3)"


def test_a_statement_without_rows_has_no_description(postgres_url, app):
    with db.engine.connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()
        cursor.execute("SET LOCAL statement_timeout = 0")
        assert cursor.description is None
        cursor.execute("SELECT")  # no columns, but it returned rows
        assert cursor.description is not None and list(cursor.description) == []


def test_a_description_read_late_is_still_of_its_own_statement(postgres_url, app):
    with db.engine.connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()
        cursor.execute(QUERY)
        first = cursor.description
        cursor.execute("SELECT 2 AS two")
        assert [c.name for c in first] == ["one", "letter", "at", "money"]
        assert [c.name for c in cursor.description] == ["two"]


def test_sqlalchemy_results_keep_their_names(postgres_url, app):
    for _ in range(2):  # the second time from SQLAlchemy's cached result metadata
        row = db.session.execute(text(QUERY)).mappings().one()
        assert row["one"] == 1 and row["letter"] == "x" and row["money"] is None


def test_a_cursor_class_chosen_in_the_engine_options_is_kept(postgres_url, app):
    options = {"connect_args": {"cursor_factory": psycopg.ClientCursor}}
    other = make_app(postgres_url, SQLALCHEMY_ENGINE_OPTIONS=options)
    with other.app_context(), db.engine.connect() as conn:
        assert conn.connection.dbapi_connection.cursor_factory is psycopg.ClientCursor
