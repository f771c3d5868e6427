"""A restarted PostgreSQL: the pool notices its dead connections at checkout, without a
`SELECT 1` before every request (`booking.database.check_liveness_on_checkout`)."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from booking.extensions import db
from tests.conftest import make_app


def _end_backend(url: str, pid: int) -> None:
    """What a restart does to one connection: the server ends its process (and waits until it
    is gone, so the socket is closed when this returns)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT pg_terminate_backend(:pid, 30000)"), {"pid": pid})
    engine.dispose()


def test_a_request_after_the_server_ended_the_pooled_connection_succeeds(postgres_url):
    app = make_app(postgres_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0})
    client = app.test_client()
    assert client.get("/api/v1/events").status_code == 200
    with app.app_context():
        pid = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.rollback()
    _end_backend(postgres_url, pid)
    assert client.get("/api/v1/events").status_code == 200
    with app.app_context():
        assert db.session.scalar(text("SELECT pg_backend_pid()")) != pid


def test_a_live_connection_is_reused_as_it_is(postgres_url):
    app = make_app(postgres_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0})
    pids = set()
    for _ in range(3):
        with app.app_context():
            pids.add(db.session.scalar(text("SELECT pg_backend_pid()")))
    assert len(pids) == 1
