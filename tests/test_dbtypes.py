from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from booking.events.models import Event
from booking.extensions import db
from booking.org.services import unit_by_key


def test_an_aware_tokyo_time_is_stored_and_read_back_as_the_same_instant(app):
    tokyo = ZoneInfo("Asia/Tokyo")
    start = datetime(2026, 12, 2, 18, 0, tzinfo=tokyo)
    event = Event(
        title="t", kind="seminar", format="online", unit=unit_by_key("hq"),
        starts_at=start, ends_at=datetime(2026, 12, 2, 20, 0, tzinfo=tokyo),
    )  # fmt: skip
    db.session.add(event)
    db.session.commit()
    db.session.expire_all()
    loaded = db.session.get(Event, event.id)
    assert loaded.starts_at == start
    assert loaded.starts_at.tzinfo is not None
    assert loaded.starts_at.utcoffset().total_seconds() == 0
    assert loaded.starts_at == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_a_naive_datetime_is_refused(app):
    event = Event(
        title="t", kind="seminar", format="online", unit=unit_by_key("hq"),
        starts_at=datetime(2026, 12, 2, 18, 0), ends_at=datetime(2026, 12, 2, 20, 0),
    )  # fmt: skip
    db.session.add(event)
    with pytest.raises(Exception, match="naive datetime"):
        db.session.commit()
    db.session.rollback()


def test_demo_events_show_their_tokyo_times(client, runner):
    runner.invoke(args=["demo", "load"])
    html = client.get("/").get_data(as_text=True)
    # Demo events start at whole Tokyo hours between 10:00 and 18:00, never in the small hours.
    assert " 18:00〜20:00" in html or " 10:00〜" in html
    assert " 03:00〜" not in html
