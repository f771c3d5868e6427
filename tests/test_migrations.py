"""Migrations upgrade a blank database to exactly what the models say, on SQLite and PostgreSQL."""

import uuid
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from booking.consultations import slot_versions as slot_triggers
from booking.events import cache_version as event_triggers
from booking.events.models import Frame
from booking.extensions import db
from tests.conftest import make_app


@contextmanager
def blank_database(database_url, tmp_path):
    """A new, empty database of the same kind as the suite's."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'blank.sqlite'}"
        return
    name = f"tsunagu_migr_{uuid.uuid4().hex[:8]}"
    admin = create_engine(
        make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def test_migrations_upgrade_a_blank_database_to_the_models(database_url, tmp_path):
    with blank_database(database_url, tmp_path) as url:
        app = make_app(url)
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                diff = compare_metadata(
                    MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata
                )
                tables = set(inspect(conn).get_table_names())
                triggers = slot_triggers.installed(conn)
                event_triggers_there = event_triggers.installed(conn)
                frame_columns_watched = event_triggers.frame_columns_named(conn)
            db.engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"
    assert {"users", "companies", "units", "events", "frames", "outbox_messages"} <= tables
    # The free-slot cache's versions are kept by triggers (a table rebuilt by a later SQLite
    # batch migration would silently lose them).
    assert triggers == slot_triggers.expected(make_url(url).get_backend_name())
    # So is the event cache's; a column added to frames since they were installed would not
    # change the version until a migration installs them again.
    assert event_triggers_there == event_triggers.expected(make_url(url).get_backend_name())
    assert frame_columns_watched == {c.name for c in Frame.__table__.columns} - {
        "taken",
        "cache_version",
    }


@pytest.mark.parametrize("kind", ["sqlite"])
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path, kind):
    app = make_app(f"sqlite:///{tmp_path / 'wal.sqlite'}")
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        db.engine.dispose()
