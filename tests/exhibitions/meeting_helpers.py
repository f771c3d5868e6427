"""Helpers of the meeting (商談) and lead tests: registered visitors, local times, bookings."""

from __future__ import annotations

from datetime import datetime, time
from urllib.parse import urlencode

from booking.events.registrations import register_for_frame
from booking.exhibitions.meetings.services import book_meeting
from booking.extensions import db
from booking.timefmt import local_zone, now_utc
from tests.conftest import login


def at(fair, day: int, hour: int, minute: int = 0) -> datetime:
    """Local (Tokyo) time on the fair's `day`-th day (0-based)."""
    return datetime.combine(fair.days[day], time(hour, minute), tzinfo=local_zone())


def register(fair, user, frame: int = 0):
    """A confirmed visitor registration for the fair's event (through the events service)."""
    reg = register_for_frame(user, fair.event.id, fair.event.frames[frame].id, {}, now_utc())
    db.session.commit()
    assert reg.status == "confirmed"
    return reg


def visitor(make_user, fair, **names):
    """A member registered for the fair."""
    user = make_user("member", **names)
    register(fair, user)
    return user


def book(user, exhibitor, start, mode="booth", now=None, **kw):
    meeting = book_meeting(user, exhibitor, start, mode, now or now_utc(), **kw)
    db.session.commit()
    return meeting


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def slot_url(exhibitor, start=None, mode="booth") -> str:
    url = f"/meetings/exhibitors/{exhibitor.id}"
    if start is not None:
        url += "?" + urlencode({"start": start.isoformat(), "mode": mode})
    return url


def booking_form(start, mode="booth", topic="新製品の相談", share=False) -> dict:
    data = {"start": start.isoformat(), "mode": mode, "topic": topic}
    if share:
        data["share"] = "y"
    return data
