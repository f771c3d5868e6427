"""Two downloads of a certificate at once issue one certificate with one number (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

from booking.events.certificates.issuing import issue_certificate, set_offered
from booking.events.certificates.models import Certificate
from booking.events.models import Registration
from booking.events.passes import check_in
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import as_utc, now_utc
from tests.conftest import make_app


def test_concurrent_first_downloads_issue_one_certificate(
    app, postgres_url, clock, make_event, member, staff
):  # fmt: skip
    event = make_event(days=2)
    reg = register_for_frame(member, event.id, event.frames[0].id, {}, now_utc())
    set_offered(event, True, staff, now_utc())
    clock.move_to(as_utc(event.starts_at) - timedelta(minutes=5))
    check_in(reg, now_utc())
    db.session.commit()
    clock.move_to(as_utc(event.ends_at) + timedelta(hours=1))
    reg_id = reg.id
    db.session.commit()

    other = make_app(postgres_url)
    start = threading.Barrier(6)
    issued: list[tuple[str, str]] = []
    errors: list[Exception] = []

    def worker():
        with other.app_context():
            try:
                mine = db.session.get(Registration, reg_id)
                start.wait()
                cert = issue_certificate(mine, now_utc())
                issued.append((cert.number, cert.code))
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
    assert db.session.query(Certificate).filter_by(registration_id=reg_id).count() == 1
    assert len(set(issued)) == 1
