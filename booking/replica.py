"""Public pages and feeds may read from a PostgreSQL replica (`DATABASE_REPLICA_URL`, optional).

A replica is a little behind the primary, so only reads that may be a little behind go there:
`GET`/`HEAD` of the public pages and feeds listed in `REPLICA_ENDPOINTS`, by a visitor who is
not signed in. Someone signed in has just written something (a registration, a cancellation)
and must see it on the next page, so their requests read from the primary; so does every
write, every form and the API. Within a replica request, only `SELECT`s go to the replica:
anything written (a flush, an UPDATE) still goes to the primary.

Without the variable, everything reads from the primary, as before.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request
from flask_login import current_user
from sqlalchemy import create_engine, event
from sqlalchemy.orm import ORMExecuteState

from booking.extensions import db

EXTENSION = "tsunagu_replica"

# Public pages and feeds whose readers tolerate a replica's few seconds of lag.
REPLICA_ENDPOINTS = frozenset(
    {
        "events.index",
        "events.detail",
        "calendars.public_feed",
        "calendars.event_ics",
        "exhibitions.index",
        "exhibitions.directory",
        "exhibitions.exhibitor",
    }
)


def init_app(app: Flask) -> None:
    url = app.config.get("DATABASE_REPLICA_URL")
    if not url:
        return
    from booking.database import check_liveness_on_checkout, describe_columns_lazily
    from config import normalise_database_url

    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    engine = create_engine(normalise_database_url(url), **options)
    describe_columns_lazily(engine)
    check_liveness_on_checkout(engine)
    app.extensions[EXTENSION] = engine
    app.before_request(_choose_database)
    if not event.contains(db.session, "do_orm_execute", _route_select):
        event.listen(db.session, "do_orm_execute", _route_select)


def reads_from_replica() -> bool:
    """The one rule: this request's reads may come from the replica."""
    return (
        request.method in ("GET", "HEAD")
        and request.endpoint in REPLICA_ENDPOINTS
        and not current_user.is_authenticated
    )


def _choose_database() -> None:
    g.read_replica = reads_from_replica()


def _route_select(state: ORMExecuteState) -> None:
    if state.is_select and g and g.get("read_replica"):
        engine = current_app.extensions.get(EXTENSION)
        if engine is not None:
            state.bind_arguments["bind"] = engine
