"""Concurrent writes on the development SQLite database wait their turn instead of failing."""

import threading

from booking.extensions import db
from booking.notifications.models import OutboxMessage
from booking.notifications.services import plan_message
from tests.conftest import make_app


def test_concurrent_read_then_write_transactions_never_see_database_is_locked(tmp_path):
    url = f"sqlite:///{tmp_path / 'busy.sqlite'}"
    app = make_app(url)
    with app.app_context():
        db.create_all()
    errors: list[Exception] = []
    start = threading.Barrier(8)

    def worker(n: int):
        with app.app_context():
            start.wait()
            for i in range(25):
                try:
                    # Read first, then write: the pattern that deadlocks with deferred BEGIN.
                    db.session.query(OutboxMessage).count()
                    plan_message(f"k:{n}:{i}", "a@example.jp", "account_reset", {})
                    db.session.commit()
                except Exception as exc:  # collected and asserted below
                    errors.append(exc)
                    db.session.rollback()
            db.session.remove()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with app.app_context():
        count = db.session.query(OutboxMessage).count()
        db.engine.dispose()
    assert errors == []
    assert count == 8 * 25
