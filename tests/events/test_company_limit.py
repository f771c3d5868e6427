"""The per-company limit across the whole event: a company cannot send twice the limit to a
hybrid event by using both frames; said before the confirm step; the frame's own limit stays."""

import pytest

from booking.events.company_limits import CompanyLimit
from booking.events.models import Event
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import login
from tests.events.test_api import auth, event_body


def _limit(event, n):
    """The event's own limit (make_event gives `per_company_limit` to its frame)."""
    event.per_company_limit = n
    db.session.commit()
    return event


def _hybrid(make_event, limit=None):
    return _limit(make_event(format="hybrid", online_url="https://meet.example.jp/j/x", frames=[
        dict(name="会場参加", capacity=10, mode="in_person"),
        dict(name="オンライン参加", capacity=10, mode="online"),
    ]), limit)  # fmt: skip


def test_the_limit_counts_every_frame_of_the_event(make_event, make_user):
    event = _hybrid(make_event, 2)
    room, online = event.frames
    first = make_user("member")
    colleagues = [first] + [make_user("member", company=first.company) for _ in range(2)]
    register_for_frame(colleagues[0], event.id, room.id, {}, now_utc())
    register_for_frame(colleagues[1], event.id, online.id, {}, now_utc())
    with pytest.raises(CompanyLimit):
        register_for_frame(colleagues[2], event.id, online.id, {}, now_utc())
    # another company is not concerned
    register_for_frame(make_user("member"), event.id, online.id, {}, now_utc())


def test_the_frames_own_limit_still_holds(make_event, make_user):
    event = _limit(make_event(frames=[dict(name="会場参加", capacity=10, per_company_limit=1)]), 5)
    first = make_user("member")
    register_for_frame(first, event.id, event.frames[0].id, {}, now_utc())
    with pytest.raises(CompanyLimit):
        register_for_frame(make_user("member", company=first.company), event.id,
                           event.frames[0].id, {}, now_utc())  # fmt: skip


def test_the_form_says_it_before_the_confirm_step(client, make_event, make_user):
    event = _hybrid(make_event, 1)
    first = make_user("member")
    register_for_frame(first, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    login(client, make_user("member", company=first.company))
    page = client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert "このイベントは1社1名まで（すべての参加枠の合計）です。" in page
    # A rule of the event said no, before anything was typed: not "check what you entered".
    assert "お手続きを完了できませんでした" in page and "入力内容を確認してください" not in page
    response = client.post(f"/events/{event.id}/register", data={"frame": str(event.frames[1].id)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "申込内容の確認" not in html
    assert "このイベントは1社1名まで" in html


def test_the_frame_limit_is_said_before_the_confirm_step(client, make_event, make_user):
    event = make_event(frames=[dict(name="会場参加", capacity=10, per_company_limit=1),
                               dict(name="オンライン", capacity=10, mode="online")])  # fmt: skip
    first = make_user("member")
    register_for_frame(first, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    login(client, make_user("member", company=first.company))
    response = client.post(f"/events/{event.id}/register", data={"frame": str(event.frames[0].id)})
    assert response.status_code == 422
    assert "この参加枠は1社1名までです。" in response.get_data(as_text=True)
    ok = client.post(f"/events/{event.id}/register", data={"frame": str(event.frames[1].id)})
    assert ok.status_code == 200  # the confirm step


def test_staff_set_the_event_limit_on_the_edit_form(staff_client, make_event):
    event = _hybrid(make_event)
    page = staff_client.get(f"/staff/events/{event.id}/edit").get_data(as_text=True)
    assert "すべての参加枠の合計" in page
    from tests.events.test_staff_frames import _local

    response = staff_client.post(f"/staff/events/{event.id}/edit", data={
        "title": event.title, "kind": "seminar", "unit": "hq", "format": "hybrid",
        "starts_at": _local(event.starts_at), "ends_at": _local(event.ends_at),
        "venue_name": "本部 会議室", "online_url": "https://meet.example.jp/j/x",
        "per_company_limit": "3", "version": str(event.version),
    })  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert db.session.get(Event, event.id).per_company_limit == 3


def test_the_api_takes_and_returns_the_event_limit(client, staff):
    created = client.post("/api/v1/events", json=event_body(per_company_limit=2),
                          headers=auth(staff))  # fmt: skip
    assert created.status_code == 201 and created.json["per_company_limit"] == 2
    assert created.json["version"] == 1
    event_id = created.json["id"]
    cleared = client.patch(f"/api/v1/events/{event_id}", json={"per_company_limit": None},
                           headers=auth(staff))  # fmt: skip
    assert cleared.status_code == 200 and cleared.json["per_company_limit"] is None
    bad = client.patch(f"/api/v1/events/{event_id}", json={"per_company_limit": 0},
                       headers=auth(staff))  # fmt: skip
    assert bad.status_code == 422
    # Without a limit in the body, a PATCH leaves it as it is.
    client.patch(f"/api/v1/events/{event_id}", json={"per_company_limit": 4}, headers=auth(staff))
    kept = client.patch(f"/api/v1/events/{event_id}", json={"title": "改題"}, headers=auth(staff))
    assert kept.json["per_company_limit"] == 4


def test_the_api_refuses_a_stale_patch(client, staff):
    created = client.post("/api/v1/events", json=event_body(), headers=auth(staff)).json
    first = client.patch(f"/api/v1/events/{created['id']}", headers=auth(staff),
                         json={"title": "A", "version": created["version"]})  # fmt: skip
    assert first.status_code == 200 and first.json["version"] == created["version"] + 1
    stale = client.patch(f"/api/v1/events/{created['id']}", headers=auth(staff),
                         json={"title": "B", "version": created["version"]})  # fmt: skip
    assert stale.status_code == 409 and stale.json["error"]["code"] == "stale_version"
    again = client.get(f"/api/v1/events/{created['id']}").json
    assert again["title"] == "A"
