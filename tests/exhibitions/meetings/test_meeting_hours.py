"""Exhibitors publish meeting hours per fair day; removing them never cancels a meeting."""

from datetime import time

import pytest

from booking.errors import Conflict, Invalid
from booking.exhibitions.meetings.hours import add_hours, opening_hours, remove_hours
from booking.exhibitions.models import Meeting, MeetingHours
from booking.extensions import db
from tests.exhibitions.meeting_helpers import at, book, signed_in, visitor


def hours_form(day, starts="10:00", ends="11:00", mode="booth"):
    return {"day": day.isoformat(), "starts": starts, "ends": ends, "mode": mode}


def test_the_fair_opens_10_to_17_each_day(make_fair):
    fair = make_fair()
    assert opening_hours(fair.exhibition) == {d: (time(10), time(17)) for d in fair.days}


def test_the_exhibitor_publishes_hours_from_its_page(app, make_fair, make_exhibitor):
    fair = make_fair()
    exhibitor, company_user = make_exhibitor(fair, hours=False)
    client = signed_in(app, company_user)
    page = client.get(f"/exhibitor/{exhibitor.id}/hours").get_data(as_text=True)
    assert "オンライン商談" in page and "ブースで商談" in page
    response = client.post(f"/exhibitor/{exhibitor.id}/hours", data=hours_form(fair.days[1]))
    assert response.status_code == 302
    row = db.session.query(MeetingHours).one()
    assert (row.day, row.starts, row.ends, row.mode) == (fair.days[1], time(10), time(11), "booth")
    assert "10:00〜11:00" in client.get(f"/exhibitor/{exhibitor.id}/hours").get_data(as_text=True)


@pytest.mark.parametrize(
    ("starts", "ends", "day_offset", "message"),
    [
        ("09:00", "10:30", 0, "開場時間（10:00〜17:00）"),
        ("16:30", "17:30", 0, "開場時間（10:00〜17:00）"),
        ("12:00", "11:00", 0, "終了時刻は開始時刻より後"),
        ("10:00", "11:00", 5, "会期中の日付"),
        ("10:00", "11:00", None, "会期中の日付"),
    ],
)
def test_hours_outside_the_fair_day_are_refused_next_to_the_field(
    app, make_fair, make_exhibitor, starts, ends, day_offset, message
):
    from datetime import timedelta

    fair = make_fair()
    exhibitor, company_user = make_exhibitor(fair, hours=False)
    client = signed_in(app, company_user)
    form = hours_form(fair.days[0] + timedelta(days=day_offset or 0), starts, ends)
    if day_offset is None:
        form["day"] = "not-a-day"
    response = client.post(f"/exhibitor/{exhibitor.id}/hours", data=form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.query(MeetingHours).count() == 0


def test_overlapping_hours_are_refused_whatever_the_mode(app, make_fair, make_exhibitor):
    fair = make_fair()
    exhibitor, company_user = make_exhibitor(fair)  # booth 13:00–15:00 each day
    client = signed_in(app, company_user)
    response = client.post(f"/exhibitor/{exhibitor.id}/hours",
                           data=hours_form(fair.days[0], "14:30", "15:30", "online"))  # fmt: skip
    assert response.status_code == 409
    assert "すでに設定した商談時間と重なっています" in response.get_data(as_text=True)
    assert db.session.query(MeetingHours).count() == 2
    # Touching end to start is not an overlap.
    add_hours(exhibitor, fair.days[0], time(15), time(16), "online")


def test_online_hours_need_online_participation(make_fair, make_exhibitor):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair, participation="in_person", hours=False)
    with pytest.raises(Invalid) as caught:
        add_hours(exhibitor, fair.days[0], time(10), time(11), "online")
    assert caught.value.code == "mode_not_offered"
    online_only, _ = make_exhibitor(fair, participation="online", hours=False)
    with pytest.raises(Invalid):
        add_hours(online_only, fair.days[0], time(10), time(11), "booth")
    assert add_hours(online_only, fair.days[0], time(10), time(11), "online").mode == "online"


def test_hours_with_booked_meetings_cannot_be_removed(app, make_fair, make_exhibitor, make_user):
    fair = make_fair()
    exhibitor, company_user = make_exhibitor(fair)
    meeting = book(visitor(make_user, fair), exhibitor, at(fair, 0, 14))
    day0, day1 = (h.id for h in sorted(db.session.query(MeetingHours).all(), key=lambda h: h.day))
    client = signed_in(app, company_user)
    response = client.post(f"/exhibitor/{exhibitor.id}/hours/{day0}/delete")
    assert response.status_code == 409
    assert "予約済みの商談が1件あります" in response.get_data(as_text=True)
    assert db.session.get(MeetingHours, day0) is not None
    assert db.session.get(Meeting, meeting.id).status == "booked"
    # Hours without meetings go.
    assert client.post(f"/exhibitor/{exhibitor.id}/hours/{day1}/delete").status_code == 302
    assert db.session.get(MeetingHours, day1) is None


def test_removing_is_allowed_once_the_meeting_is_cancelled(make_fair, make_exhibitor, make_user):
    from booking.exhibitions.meetings.services import cancel_meeting
    from booking.timefmt import now_utc

    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair)
    guest = visitor(make_user, fair)
    meeting = book(guest, exhibitor, at(fair, 0, 14))
    hours = db.session.query(MeetingHours).filter_by(day=fair.days[0]).one()
    with pytest.raises(Conflict):
        remove_hours(exhibitor, hours.id)
    cancel_meeting(meeting, now_utc(), guest, "visitor")
    remove_hours(exhibitor, hours.id)
    db.session.commit()
    assert db.session.get(MeetingHours, hours.id) is None


def test_another_company_cannot_see_or_change_the_hours(app, make_fair, make_exhibitor):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair)
    _, stranger = make_exhibitor(fair)
    client = signed_in(app, stranger)
    hours = db.session.query(MeetingHours).filter_by(exhibitor_id=exhibitor.id).first()
    assert client.get(f"/exhibitor/{exhibitor.id}/hours").status_code == 404
    assert client.post(f"/exhibitor/{exhibitor.id}/hours",
                       data=hours_form(fair.days[0])).status_code == 404  # fmt: skip
    assert client.post(f"/exhibitor/{exhibitor.id}/hours/{hours.id}/delete").status_code == 404
    assert db.session.get(MeetingHours, hours.id) is not None
    # Its own exhibitor's page cannot delete someone else's hours either.
    mine = db.session.query(MeetingHours).filter(MeetingHours.exhibitor_id != exhibitor.id).first()
    assert mine is not None
    own_id = mine.exhibitor_id
    assert client.post(f"/exhibitor/{own_id}/hours/{hours.id}/delete").status_code == 404
