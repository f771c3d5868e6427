"""The rush's short seat lock keeps every promotion (PostgreSQL).

A registration for a frame that reads full joins its waitlist without touching the frame's
row; the waitlist guard makes sure a cancellation committing at that moment still promotes
the newcomer, and that the newcomer does not queue behind whoever holds the frame's row.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select, text

from booking.accounts.models import User
from booking.events.models import Frame, Registration
from booking.events.registrations import cancel_registration, register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import make_app
from tests.events.test_concurrency import _people

pytestmark = pytest.mark.postgres


def _until(condition, what: str, timeout: float = 30.0) -> None:
    """Poll a condition another connection makes true (the thread's own state, not time)."""
    # Between polls it waits on an event nobody sets (a lock with a timeout), not `time.sleep`,
    # which fails under the moved-clock passes' libfaketime.
    pause = threading.Event()
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        pause.wait(0.005)


def _waiting_on_advisory_lock() -> bool:
    return bool(
        db.session.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
            )
        ).scalar()
    )


def test_joining_a_full_frame_while_its_last_seat_is_cancelled_gets_the_seat(
    make_event, postgres_url
):
    """B reads the frame full and joins the waitlist; before B commits, A cancels the only
    seat. Whatever the order, B ends confirmed: A's promotion waits for B to commit."""
    event = make_event(capacity=1)
    frame_id, event_id = event.frames[0].id, event.id
    a_id, b_id = _people(2)
    a_reg = register_for_frame(db.session.get(User, a_id), event_id, frame_id, {}, now_utc())
    db.session.commit()
    a_reg_id = a_reg.id
    worker = make_app(postgres_url)
    joined, go = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def join_waitlist():
        with worker.app_context():
            try:
                reg = register_for_frame(
                    db.session.get(User, b_id), event_id, frame_id, {}, now_utc()
                )
                outcome["b_status"] = reg.status
                joined.set()
                go.wait(60)
                db.session.commit()
            finally:
                joined.set()
                db.session.remove()

    def cancel():
        with worker.app_context():
            try:
                promoted = cancel_registration(db.session.get(Registration, a_reg_id), now_utc())
                outcome["promoted"] = [p.user_id for p in promoted]
                db.session.commit()
            finally:
                outcome["cancel_done"] = True
                db.session.remove()

    b = threading.Thread(target=join_waitlist)
    b.start()
    joined.wait(60)
    assert outcome.get("b_status") == "waitlisted"
    c = threading.Thread(target=cancel)
    c.start()

    def cancel_waits_or_is_done():
        db.session.rollback()
        return outcome.get("cancel_done") or _waiting_on_advisory_lock()

    _until(cancel_waits_or_is_done, "the cancellation waits on the waitlist guard or is done")
    go.set()
    b.join(60)
    c.join(60)
    assert outcome.get("promoted") == [b_id]
    db.session.expire_all()
    statuses = dict(
        db.session.execute(
            select(Registration.user_id, Registration.status).where(
                Registration.frame_id == frame_id
            )
        ).all()
    )
    assert statuses == {a_id: "cancelled", b_id: "confirmed"}
    assert db.session.get(Frame, frame_id).taken == 1


def test_a_full_frame_answers_waitlisted_while_its_row_is_locked(make_event, postgres_url):
    """Staff hold the frame's row (an edit not committed yet): a registration for the full
    frame is answered at once, waitlisted, instead of waiting for them."""
    event = make_event(capacity=1)
    frame_id, event_id = event.frames[0].id, event.id
    a_id, b_id = _people(2)
    register_for_frame(db.session.get(User, a_id), event_id, frame_id, {}, now_utc())
    db.session.commit()
    with db.engine.connect() as staff:
        staff.execute(text("UPDATE frames SET name = name || ' ' WHERE id = :id"), {"id": frame_id})
        # The row stays locked until staff's transaction ends. A regression would wait on it:
        # it fails after 3 s instead of hanging.
        db.session.execute(text("SET LOCAL lock_timeout = '3s'"))
        reg = register_for_frame(db.session.get(User, b_id), event_id, frame_id, {}, now_utc())
        assert reg.status == "waitlisted"
        db.session.commit()
        staff.rollback()
