"""Behind PgBouncer in transaction pooling (DATABASE_PGBOUNCER): nothing outlives a transaction
on the server. `ci/pgbouncer.sh` runs these and the concurrency tests through a real one."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, insert

from booking.extensions import db
from booking.notifications.dispatcher import dispatch_due
from booking.notifications.models import OutboxMessage
from booking.timefmt import now_utc
from tests.conftest import make_app


def test_behind_pgbouncer_psycopg_prepares_no_statements_on_the_server():
    app = make_app("postgresql+psycopg://tsunagu@127.0.0.1:1/none", DATABASE_PGBOUNCER=True)
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"prepare_threshold": None}
    plain = make_app("postgresql+psycopg://tsunagu@127.0.0.1:1/none", DATABASE_PGBOUNCER=False)
    assert "connect_args" not in plain.config["SQLALCHEMY_ENGINE_OPTIONS"]


def test_the_switch_leaves_sqlite_alone(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'x.sqlite'}", DATABASE_PGBOUNCER=True)
    assert "connect_args" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]


def test_the_dispatcher_sets_nothing_on_the_session_behind_pgbouncer(postgres_url):
    """Its marks skip the WAL flush with a session `SET` elsewhere; a pooled server connection
    would keep that setting for the next client, so behind PgBouncer it is not sent."""
    app = make_app(postgres_url, DATABASE_PGBOUNCER=True)
    statements: list[str] = []
    with app.app_context():
        event.listen(
            db.engine, "before_cursor_execute", lambda c, cur, st, *a: statements.append(st)
        )
        db.session.execute(
            insert(OutboxMessage),
            [{"dedupe_key": f"pooled:{i}", "recipient": f"m{i}@example.jp",
              "template": "account_reset", "status": "pending",
              "context": {"name": "会員", "url": "http://tsunagu.test/r/x", "hours": 2},
              "due_at": now_utc() - timedelta(seconds=1)} for i in range(3)],
        )  # fmt: skip
        db.session.commit()
        assert dispatch_due() == 3
        with db.engine.connect() as conn:
            assert conn.connection.dbapi_connection.prepare_threshold is None
    assert statements and not [
        s for s in statements if s.lstrip().upper().startswith(("SET ", "RESET "))
    ]
