"""Concurrent first requests for a feed URL agree on one token (PostgreSQL)."""

import threading

from booking.accounts.models import User
from booking.calendars.feed_tokens import ensure_feed_token
from booking.calendars.models import FeedToken
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import make_app


def test_concurrent_first_requests_issue_one_token(app, postgres_url, member):
    user_id = member.id
    db.session.commit()
    app = make_app(postgres_url)
    start = threading.Barrier(6)
    tokens: list[str] = []
    errors: list[Exception] = []

    def worker():
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                start.wait()
                tokens.append(ensure_feed_token(user, now_utc()))
                db.session.commit()
            except Exception as exc:  # collected and asserted below
                errors.append(exc)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.session.query(FeedToken).filter_by(user_id=user_id).count() == 1
    assert len(set(tokens)) == 1
