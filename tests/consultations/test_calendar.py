"""Consultations appear in the member's and the advisor's feeds, and carry invitations."""

from datetime import datetime, time, timedelta

import jpholiday
from icalendar import Calendar

from booking.accounts.services import issue_api_token
from booking.calendars.consultation_items import consultation_invitee
from booking.consultations.services import cancel_consultation
from booking.extensions import db
from booking.notifications.hooks import build_invitation
from booking.timefmt import now_utc
from tests.consultations.conftest import TOKYO


def upcoming_weekday_10am() -> tuple[datetime, datetime]:
    """A working weekday at 10:00 Tokyo a week or more ahead, and a `now` two days before it.

    Feeds keep recent and future bookings only, so these bookings are dated from today.
    """
    day = now_utc().astimezone(TOKYO).date() + timedelta(days=7)
    while (
        day.weekday() > 4
        or jpholiday.is_holiday(day)
        or (day.month, day.day) >= (12, 29)
        or (day.month == 1 and day.day <= 3)
    ):
        day += timedelta(days=1)
    start = datetime.combine(day, time(10), tzinfo=TOKYO)
    return start, start - timedelta(days=2, hours=1)


def _feed(client, user, key="url"):
    token = issue_api_token(user)
    db.session.commit()
    urls = client.get("/api/v1/me/calendar", headers={"Authorization": f"Bearer {token}"}).json
    path = urls[key].split("://", 1)[1].split("/", 1)[1]
    return Calendar.from_ical(client.get("/" + path).data)


def _events(cal):
    return [c for c in cal.walk("VEVENT")]


def test_a_booking_is_in_the_members_feed_with_the_join_url(client, make_advisor, member, book):
    advisor = make_advisor()
    start, now = upcoming_weekday_10am()
    c = book(member, start, advisor, now=now)
    [ev] = [e for e in _events(_feed(client, member)) if str(e["UID"]).startswith("consultation-")]
    assert str(ev["UID"]).startswith(f"consultation-{c.id}@")
    assert "経営相談" in str(ev["SUMMARY"])
    assert ev.decoded("DTSTART") == start
    assert advisor.video_url in ev.to_ical().decode()


def test_the_advisor_feed_shows_company_and_topic_not_the_record(
    client, make_advisor, member, book
):
    advisor = make_advisor()
    start, now = upcoming_weekday_10am()
    book(member, start, advisor, now=now)
    cal = _feed(client, advisor.user, "advisor_url")
    [ev] = _events(cal)
    assert member.company.name in str(ev["SUMMARY"])
    assert "資金繰り" in str(ev["DESCRIPTION"])


def test_cancelling_sends_a_cancel_invitation_with_a_higher_sequence(make_advisor, member, book):
    advisor = make_advisor()
    start, now = upcoming_weekday_10am()
    c = book(member, start, advisor, now=now)
    before = Calendar.from_ical(build_invitation(f"consultation:{c.id}", "REQUEST"))
    cancel_consultation(c, now, member)
    db.session.commit()
    after = Calendar.from_ical(build_invitation(f"consultation:{c.id}", "CANCEL"))
    [b], [a] = before.walk("VEVENT"), after.walk("VEVENT")
    assert a["UID"] == b["UID"]
    assert int(a["SEQUENCE"]) > int(b["SEQUENCE"])
    assert str(after["METHOD"]) == "CANCEL"
    assert consultation_invitee(c.id).email == member.email
