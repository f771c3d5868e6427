"""One no-show rule (events/passes.py `is_no_show`) for companies, people and the lottery:
confirmed in person, never checked in, at an event that was held and has ended."""

from __future__ import annotations

from datetime import timedelta

from booking.events.passes import company_no_shows, is_no_show, person_no_show_counts
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc


def test_an_online_attendee_is_never_a_no_show_an_in_person_one_is(make_event, make_user, clock):
    event = make_event(frames=[dict(name="会場参加", capacity=5, mode="in_person"),
                               dict(name="オンライン参加", capacity=5, mode="online")])  # fmt: skip
    room, online = make_user("member"), make_user("member")
    there = register_for_frame(room, event.id, event.frames[0].id, {}, now_utc())
    away = register_for_frame(online, event.id, event.frames[1].id, {}, now_utc())
    db.session.commit()
    assert not is_no_show(there, now_utc())  # not held yet
    clock.advance(days=8)
    now = now_utc()
    assert is_no_show(there, now) and not is_no_show(away, now)
    assert company_no_shows([room.company_id, online.company_id], now) == {room.company_id: 1}
    assert person_no_show_counts([room.id, online.id], now) == {room.id: 1}
    there.checked_in_at = now - timedelta(days=1)
    db.session.commit()
    assert not is_no_show(there, now) and person_no_show_counts([room.id], now) == {}
