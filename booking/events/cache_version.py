"""The versions of what registering reads of an event, kept by database triggers.

A worker keeps copies of events as a registration reads them (`event_cache`), keyed by
`events.cache_version` and each frame's `frames.cache_version`. Triggers, not application
code, change them: every writer (a staff edit, the API, a lottery draw, a command, raw SQL)
changes them in its own transaction, so no writer can forget, and a worker on another host sees
the change as soon as it commits.

- `events.cache_version` changes with the event's own row (any column) and with its
  questions, sessions, survey questions and reminder rules (whether it has any is part of what
  registering reads);
- `frames.cache_version` changes with the frame's own row: written, or any column changed but
  `taken`. The seats are read afresh by every registration, so the rush's seat UPDATEs leave
  it alone. A frame's trigger touches no other row: a frame changed while its event is being
  edited takes no lock beyond the frame's own (a frame added or removed shows in the list of
  frames every registration reads with the versions).

A new version is a random 53-bit number, not a counter: a transaction that rolls back after
caching the event under its own new version must never leave an entry that a later, different
change could hit by landing on the same number.
"""

from __future__ import annotations

from sqlalchemy import event

from booking.database import trigger_names
from booking.events.models import Frame
from booking.extensions import db

# Tables whose rows belong to one event (`event_id`): any change of them changes the version.
CHILD_TABLES = ("event_questions", "event_sessions", "survey_questions", "reminder_rules")
# Every column of frames but the seats taken (and the version). Named in the triggers
# (`UPDATE OF`), so that a statement setting `taken` alone does not fire them. A migration adding
# a column to frames drops the triggers and installs them again with its own list of columns
# (the migration test checks that they name every column).
FRAME_COLUMNS = tuple(
    c.name for c in Frame.__table__.columns if c.name not in ("taken", "cache_version")
)

_SQLITE_NEW = "random()"
_PG_NEW = "floor(random() * 9007199254740991)::bigint"
_PREFIX = "events_cache_version_"


def _sqlite(frame_columns) -> list[str]:
    bump = "UPDATE events SET cache_version = {new} WHERE id = {row}.event_id;"
    own = "BEGIN UPDATE {table} SET cache_version = {new} WHERE id = NEW.id; END"
    out = [
        f"CREATE TRIGGER IF NOT EXISTS {_PREFIX}events_insert AFTER INSERT ON events "
        + own.format(table="events", new=_SQLITE_NEW),
        # Any update that did not set the version itself (SQLite has no BEFORE assignment).
        f"CREATE TRIGGER IF NOT EXISTS {_PREFIX}events_update AFTER UPDATE ON events "
        f"WHEN NEW.cache_version IS OLD.cache_version "
        + own.format(table="events", new=_SQLITE_NEW),
        f"CREATE TRIGGER IF NOT EXISTS {_PREFIX}frames_insert AFTER INSERT ON frames "
        + own.format(table="frames", new=_SQLITE_NEW),
        f"CREATE TRIGGER IF NOT EXISTS {_PREFIX}frames_update AFTER UPDATE OF "
        f"{', '.join(frame_columns)} ON frames " + own.format(table="frames", new=_SQLITE_NEW),
    ]
    for table in CHILD_TABLES:
        for op, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            body = " ".join(bump.format(new=_SQLITE_NEW, row=r) for r in rows)
            name = f"{_PREFIX}{table}_{op.lower()}"
            out.append(f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {op} ON {table} "
                       f"BEGIN {body} END")  # fmt: skip
    return out


def _postgresql(frame_columns) -> list[str]:
    out = [
        f"""CREATE OR REPLACE FUNCTION {_PREFIX}own() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN
            NEW.cache_version := {_PG_NEW};
            RETURN NEW;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION {_PREFIX}child() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE events SET cache_version = {_PG_NEW} WHERE id = OLD.event_id;
            END IF;
            IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.event_id IS DISTINCT FROM
                                    OLD.event_id) THEN
                UPDATE events SET cache_version = {_PG_NEW} WHERE id = NEW.event_id;
            END IF;
            RETURN NULL;
        END $$""",
        f"CREATE OR REPLACE TRIGGER {_PREFIX}events BEFORE INSERT OR UPDATE ON events "
        f"FOR EACH ROW EXECUTE FUNCTION {_PREFIX}own()",
        f"CREATE OR REPLACE TRIGGER {_PREFIX}frames BEFORE INSERT OR UPDATE OF "
        f"{', '.join(frame_columns)} ON frames FOR EACH ROW EXECUTE FUNCTION {_PREFIX}own()",
    ]
    for table in CHILD_TABLES:
        out.append(
            f"CREATE OR REPLACE TRIGGER {_PREFIX}{table} AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION {_PREFIX}child()"
        )
    return out


def install(connection, frame_columns: tuple[str, ...] = FRAME_COLUMNS) -> None:
    """Create the triggers (idempotent: to change them, `drop` first); `create_all` calls it
    with the model's frames columns, a migration with the columns frames has at its revision."""
    kind = _postgresql if connection.dialect.name == "postgresql" else _sqlite
    statements = kind(frame_columns)
    for statement in statements:
        connection.exec_driver_sql(statement)


@event.listens_for(db.metadata, "after_create")
def _after_create(_metadata, connection, **_kw) -> None:
    install(connection)


def drop(connection) -> None:
    """Remove the triggers (the migration's downgrade)."""
    postgresql = connection.dialect.name == "postgresql"
    for name in installed(connection):
        # On PostgreSQL a trigger is named for its table, and dropped on it.
        on = f" ON {name.removeprefix(_PREFIX)}" if postgresql else ""
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}{on}")
    if postgresql:
        for function in ("own", "child"):
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {_PREFIX}{function}()")


def installed(connection) -> set[str]:
    """The names of these triggers the database has (`trigger_names`)."""
    return trigger_names(connection, _PREFIX)


def expected(dialect_name: str) -> set[str]:
    if dialect_name == "postgresql":
        return {f"{_PREFIX}{t}" for t in ("events", "frames", *CHILD_TABLES)}
    return {f"{_PREFIX}{t}_{op}" for t in ("events", "frames") for op in ("insert", "update")} | {
        f"{_PREFIX}{t}_{op}" for t in CHILD_TABLES for op in ("insert", "update", "delete")
    }


def frame_columns_named(connection) -> set[str]:
    """The frames columns whose update the installed triggers watch (`FRAME_COLUMNS` when they
    were installed): a column added since without installing them again is missing here."""
    if connection.dialect.name == "postgresql":
        sql = (
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
            f"WHERE tgname = '{_PREFIX}frames' AND NOT tgisinternal"
        )
    else:
        sql = f"SELECT sql FROM sqlite_master WHERE name = '{_PREFIX}frames_update'"
    definition = connection.exec_driver_sql(sql).scalar() or ""
    named = definition.partition("UPDATE OF ")[2].partition(" ON ")[0]
    return {column.strip().strip('"') for column in named.split(",") if column.strip()}
