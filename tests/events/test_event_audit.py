"""Changes of a whole event that reach every booking are in the staff audit log too: cancelling
the event, moving it online, a new time or place, and its series sessions."""

from __future__ import annotations

from datetime import timedelta

from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import as_utc, now_utc, to_local


def _register(user, event):
    register_for_frame(user, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()


def _audit(staff_client, event) -> str:
    return staff_client.get(f"/staff/events/{event.id}/audit").get_data(as_text=True)


def test_cancelling_the_event_is_recorded_with_how_many_were_told(
    staff_client, make_event, make_user
):
    event = make_event()
    for _ in range(2):
        _register(make_user("member"), event)
    assert staff_client.post(f"/staff/events/{event.id}/cancel").status_code == 302
    page = _audit(staff_client, event)
    assert "イベントの中止" in page and "お知らせした人数" in page


def test_a_new_time_is_recorded_before_and_after(staff_client, make_event, member):
    event = make_event()
    _register(member, event)
    start = to_local(as_utc(event.starts_at) + timedelta(days=1))
    end = start + timedelta(hours=2)
    answer = staff_client.post(
        f"/staff/events/{event.id}/reschedule",
        data={"starts_at": start.strftime("%Y-%m-%dT%H:%M"), "ends_at": end.strftime("%Y-%m-%dT%H:%M")},
    )  # fmt: skip
    assert answer.status_code == 302
    page = _audit(staff_client, event)
    assert "日時・会場の変更" in page
    assert f"{start.month}月{start.day}日" in page  # the new date, after the old one


def test_moving_the_event_online_is_recorded(staff_client, make_event, member):
    event = make_event(format="hybrid")
    _register(member, event)
    answer = staff_client.post(
        f"/staff/events/{event.id}/move-online", data={"online_url": "https://meet.example.jp/x"}
    )
    assert answer.status_code == 302
    assert "オンライン開催への切り替え" in _audit(staff_client, event)


def test_an_event_change_is_not_recorded_when_refused(staff_client, make_event):
    event = make_event()
    answer = staff_client.post(
        f"/staff/events/{event.id}/move-online", data={"online_url": "ftp://nope"}
    )
    assert answer.status_code == 303
    assert "オンライン開催への切り替え" not in _audit(staff_client, event)
