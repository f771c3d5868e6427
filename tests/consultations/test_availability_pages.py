"""Advisors publish weekly hours and exceptions; the free slots follow at once."""

from datetime import time, timedelta

from sqlalchemy import select

from booking.consultations.catalogue import theme_by_slug
from booking.consultations.models import AvailabilityException, WeeklyAvailability
from booking.consultations.slots import free_slots
from booking.extensions import db
from booking.timefmt import now_utc, to_local
from tests.conftest import login


def test_an_advisor_adds_and_removes_weekly_hours(client, make_advisor):
    advisor = make_advisor(hours=[])
    login(client, advisor.user)
    response = client.post(
        "/consultations/desk/availability",
        data={
            "action": "add_weekly",
            "w-weekday": "2",
            "w-starts": "09:00",
            "w-ends": "10:00",
            "w-channel": "",
        },
    )
    assert response.status_code == 302
    row = db.session.scalar(select(WeeklyAvailability))
    assert (row.weekday, row.starts, row.ends) == (2, time(9), time(10))
    client.post(
        "/consultations/desk/availability", data={"action": "remove_weekly", "id": str(row.id)}
    )
    assert db.session.scalar(select(WeeklyAvailability)) is None


def test_an_end_before_the_start_is_refused_with_422(client, make_advisor):
    advisor = make_advisor(hours=[])
    login(client, advisor.user)
    response = client.post(
        "/consultations/desk/availability",
        data={"action": "add_weekly", "w-weekday": "2", "w-starts": "11:00", "w-ends": "10:00"},
    )
    assert response.status_code == 422


def test_a_day_off_removes_that_days_free_slots(client, make_advisor):
    advisor = make_advisor()
    login(client, advisor.user)
    now = now_utc()
    theme = theme_by_slug("management")
    first = free_slots(theme, now, now + timedelta(days=14), now, advisor_id=advisor.id)[0]
    day = to_local(first.start).date()
    response = client.post(
        "/consultations/desk/availability",
        data={
            "action": "add_exception",
            "x-day": day.isoformat(),
            "x-kind": "off",
            "x-note": "研修",
        },
    )
    assert response.status_code == 302
    assert db.session.scalar(select(AvailabilityException)).day == day
    left = free_slots(theme, now, now + timedelta(days=14), now, advisor_id=advisor.id)
    assert all(to_local(s.start).date() != day for s in left)


def test_advisors_cannot_edit_someone_elses_hours(client, make_advisor):
    mine, theirs = make_advisor(), make_advisor()
    row_id = db.session.scalar(
        select(WeeklyAvailability.id).where(WeeklyAvailability.advisor_id == theirs.id)
    )
    login(client, mine.user)
    client.post(
        f"/consultations/desk/availability?advisor={theirs.id}",
        data={"action": "remove_weekly", "id": str(row_id)},
    )
    assert db.session.get(WeeklyAvailability, row_id) is not None
