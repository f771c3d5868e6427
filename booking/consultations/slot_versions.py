"""Versions of what the free slots depend on, kept by database triggers.

A worker caches free slots (`slot_cache`) keyed by these versions, which it reads in the one
statement every call makes anyway. Triggers, not application code, change them: every writer
(a booking, a cancellation, a move, weekly hours, an exception, a link to a theme, channel or
branch, the catalogue, raw SQL) changes them in its own transaction, so no writer can forget,
and a worker on another host sees the change as soon as it commits.

- `advisors.slots_version`: the advisor's bookings (advisor, status, times), weekly hours,
  exceptions, themes, channels, branches and consultation-day staffing;
- `slot_versions` row 'catalogue': what all advisors share (channels, branches' slugs and
  order, consultation days, branches' withdrawals) — rare staff edits.

A new version is a random 53-bit number, not a counter: a transaction that rolls back after
computing slots under its own new version must never leave an entry that a later, different
change could hit by landing on the same number.
"""

from __future__ import annotations

from sqlalchemy import event, select

from booking.consultations.models import slot_versions
from booking.database import trigger_names
from booking.extensions import db

# The catalogue's version, as a column of the statement that finds the advisors.
CATALOGUE_VERSION = (
    select(slot_versions.c.version).where(slot_versions.c.scope == "catalogue").scalar_subquery()
)

# (table, the columns whose update matters, or None for any update)
ADVISOR_TABLES = (
    ("consultations", ("advisor_id", "status", "starts_at", "ends_at")),
    ("advisor_weekly_availability", None),
    ("advisor_availability_exceptions", None),
    ("advisor_themes", None),
    ("advisor_channels", None),
    ("advisor_branches", None),
    ("consultation_day_advisors", None),
)
CATALOGUE_TABLES = (
    ("consultation_channels", ("slug", "active", "position")),
    ("units", ("slug", "position")),
    ("consultation_days", None),
    ("branch_withdrawn_themes", None),
    ("branch_withdrawn_channels", None),
)

_SQLITE_NEW = "random()"
_PG_NEW = "floor(random() * 9007199254740991)::bigint"
_SQLITE_CATALOGUE = (
    f"INSERT OR REPLACE INTO slot_versions (scope, version) VALUES ('catalogue', {_SQLITE_NEW});"
)


def _update_of(columns) -> str:
    return f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"


def _sqlite() -> list[str]:
    out = []
    for table, columns in ADVISOR_TABLES:
        bump = "UPDATE advisors SET slots_version = {new} WHERE id = {row}.advisor_id;"
        for op, rows in (("INSERT", ("NEW",)), (_update_of(columns), ("OLD", "NEW")),
                         ("DELETE", ("OLD",))):  # fmt: skip
            body = " ".join(bump.format(new=_SQLITE_NEW, row=r) for r in rows)
            name = f"slots_version_{table}_{op.split()[0].lower()}"
            out.append(f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {op} ON {table} "
                       f"BEGIN {body} END")  # fmt: skip
    for table, columns in CATALOGUE_TABLES:
        for op in ("INSERT", _update_of(columns), "DELETE"):
            name = f"slots_version_{table}_{op.split()[0].lower()}"
            out.append(f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {op} ON {table} "
                       f"BEGIN {_SQLITE_CATALOGUE} END")  # fmt: skip
    return out


def _postgresql() -> list[str]:
    out = [
        f"""CREATE OR REPLACE FUNCTION slots_version_advisor() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE advisors SET slots_version = {_PG_NEW} WHERE id = OLD.advisor_id;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                UPDATE advisors SET slots_version = {_PG_NEW} WHERE id = NEW.advisor_id;
            END IF;
            RETURN NULL;
        END $$""",
        f"""CREATE OR REPLACE FUNCTION slots_version_catalogue() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN
            INSERT INTO slot_versions (scope, version) VALUES ('catalogue', {_PG_NEW})
            ON CONFLICT (scope) DO UPDATE SET version = EXCLUDED.version;
            RETURN NULL;
        END $$""",
    ]
    for tables, function in ((ADVISOR_TABLES, "slots_version_advisor"),
                             (CATALOGUE_TABLES, "slots_version_catalogue")):  # fmt: skip
        for table, columns in tables:
            out.append(
                f"CREATE OR REPLACE TRIGGER slots_version_{table} AFTER INSERT OR "
                f"{_update_of(columns)} OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION "
                f"{function}()"
            )
    return out


def install(connection) -> None:
    """Create the triggers (idempotent); the migration and `create_all` both call it."""
    statements = _postgresql() if connection.dialect.name == "postgresql" else _sqlite()
    for statement in statements:
        connection.exec_driver_sql(statement)


@event.listens_for(db.metadata, "after_create")
def _after_create(_metadata, connection, **_kw) -> None:
    install(connection)


def drop(connection) -> None:
    """Remove the triggers (the migration's downgrade)."""
    for table, _columns in ADVISOR_TABLES + CATALOGUE_TABLES:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS slots_version_{table} ON {table}")
            continue
        for op in ("insert", "update", "delete"):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS slots_version_{table}_{op}")
    if connection.dialect.name == "postgresql":
        for function in ("slots_version_advisor", "slots_version_catalogue"):
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {function}()")


def installed(connection) -> set[str]:
    """The names of these triggers the database has (`trigger_names`)."""
    return trigger_names(connection, "slots_version_")


def expected(dialect_name: str) -> set[str]:
    if dialect_name == "postgresql":
        return {f"slots_version_{t}" for t, _c in ADVISOR_TABLES + CATALOGUE_TABLES}
    return {f"slots_version_{t}_{op}" for t, _c in ADVISOR_TABLES + CATALOGUE_TABLES
            for op in ("insert", "update", "delete")}  # fmt: skip
