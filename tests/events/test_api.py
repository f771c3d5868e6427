"""The events API contract: shapes, status codes, errors, another person's data."""

from datetime import timedelta

import pytest

from booking.accounts.services import issue_api_token
from booking.extensions import db
from booking.timefmt import now_utc


def auth(user):
    token = issue_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _iso(dt):
    return dt.isoformat(timespec="seconds")


def event_body(**over):
    start = now_utc() + timedelta(days=10)
    body = {
        "title": "契約確認セミナー", "kind": "seminar", "unit": "hq", "format": "hybrid",
        "starts_at": _iso(start), "ends_at": _iso(start + timedelta(hours=2)),
        "status": "published", "member_only": False,
        "venue": {"name": "本部 会議室", "address": "東京都千代田区丸の内3-2-2"},
        "online_url": "https://meet.example.jp/j/x",
        "frames": [
            {"name": "会場参加", "mode": "in_person", "capacity": 1, "audience": "all"},
            {"name": "オンライン参加", "mode": "online", "capacity": 50, "audience": "all"},
        ],
    }  # fmt: skip
    body.update(over)
    return body


@pytest.fixture
def api_event(client, staff):
    response = client.post("/api/v1/events", json=event_body(), headers=auth(staff))
    assert response.status_code == 201, response.json
    return response.json


def test_staff_create_an_event_with_frames(api_event):
    assert {"id", "starts_at", "frames"} <= set(api_event)
    assert [f["remaining"] for f in api_event["frames"]] == [1, 50]
    assert api_event["starts_at"].endswith("+09:00")


def test_a_member_cannot_create_events(client, member):
    response = client.post("/api/v1/events", json=event_body(), headers=auth(member))
    assert response.status_code == 403


def test_creating_without_a_token_is_401(client):
    assert client.post("/api/v1/events", json=event_body()).status_code == 401


@pytest.mark.parametrize(
    "over",
    [
        {"kind": "party"},
        {"unit": "branch:atlantis"},
        {"starts_at": "tomorrow"},
        {"frames": []},
        {"frames": [{"name": "x", "capacity": -1}]},
        {"frames": "many"},
        {"member_only": "yes"},
        {"title": ""},
        {"ends_at": "2020-01-01T00:00:00+09:00"},
        {"title": 42},
    ],
)
def test_bad_event_input_is_422_never_500(client, staff, over):
    response = client.post("/api/v1/events", json=event_body(**over), headers=auth(staff))
    assert response.status_code == 422, response.json
    assert set(response.json["error"]) == {"code", "message"}


def test_list_and_get_events(client, api_event):
    listed = client.get("/api/v1/events").json["items"]
    assert [e["id"] for e in listed] == [api_event["id"]]
    one = client.get(f"/api/v1/events/{api_event['id']}").json
    assert one["id"] == api_event["id"] and one["online_url"] is None


def test_list_filters_by_kind_and_format(client, api_event):
    assert client.get("/api/v1/events?kind=exchange").json["items"] == []
    assert len(client.get("/api/v1/events?format=hybrid&q=契約").json["items"]) == 1
    assert client.get("/api/v1/events?from=nonsense").status_code == 422


def test_register_waitlist_cancel_and_promote(client, api_event, make_user):
    a, b = make_user("member"), make_user("member")
    ha, hb = auth(a), auth(b)
    url = f"/api/v1/events/{api_event['id']}/registrations"
    seat = api_event["frames"][0]["id"]
    ra = client.post(url, json={"frame": seat, "answers": {}}, headers=ha)
    assert ra.status_code == 201 and ra.json["status"] == "confirmed"
    assert client.post(url, json={"frame": seat}, headers=ha).status_code == 409
    rb = client.post(url, json={"frame": seat}, headers=hb)
    assert rb.status_code == 201 and rb.json["status"] == "waitlisted"
    assert client.delete(f"/api/v1/registrations/{ra.json['id']}", headers=hb).status_code == 404
    assert client.delete(f"/api/v1/registrations/{ra.json['id']}", headers=ha).status_code == 204
    mine = client.get("/api/v1/me/registrations", headers=hb).json["items"]
    assert [(r["id"], r["status"]) for r in mine] == [(rb.json["id"], "confirmed")]


@pytest.mark.parametrize(
    "body", [b"{not json", b"[]", b'{"frame": "x"}', b'{"frame": 99999}', b'{"frame": true}']
)
def test_malformed_registrations_are_4xx_json(client, api_event, member, body):
    response = client.post(
        f"/api/v1/events/{api_event['id']}/registrations", data=body,
        headers={**auth(member), "Content-Type": "application/json"},
    )  # fmt: skip
    assert 400 <= response.status_code < 500
    assert set(response.json["error"]) == {"code", "message"}


def test_a_guest_in_a_members_frame_is_403(client, staff, make_user):
    body = event_body(frames=[{"name": "会員枠", "capacity": 5, "audience": "members"}])
    event = client.post("/api/v1/events", json=body, headers=auth(staff)).json
    response = client.post(
        f"/api/v1/events/{event['id']}/registrations",
        json={"frame": event["frames"][0]["id"]}, headers=auth(make_user("guest")),
    )  # fmt: skip
    assert response.status_code == 403


def test_unknown_ids_are_404(client, member):
    assert client.get("/api/v1/events/424242").status_code == 404
    assert client.delete("/api/v1/registrations/424242", headers=auth(member)).status_code == 404
    response = client.post(
        "/api/v1/events/424242/registrations", json={"frame": 1}, headers=auth(member)
    )
    assert response.status_code == 404


def test_patch_moves_the_event_and_bumps_sequence(client, api_event, staff):
    start = now_utc() + timedelta(days=11)
    response = client.patch(
        f"/api/v1/events/{api_event['id']}",
        json={"starts_at": _iso(start), "ends_at": _iso(start + timedelta(hours=2))},
        headers=auth(staff),
    )
    assert response.status_code == 200
    assert response.json["sequence"] == api_event["sequence"] + 1


def test_patch_capacity_below_confirmed_is_422(client, api_event, staff, member):
    seat = api_event["frames"][0]["id"]
    client.post(
        f"/api/v1/events/{api_event['id']}/registrations",
        json={"frame": seat},
        headers=auth(member),
    )
    frames = [dict(f, capacity=0) if f["id"] == seat else f for f in api_event["frames"]]
    frames = [
        {k: v for k, v in f.items() if k in ("id", "name", "mode", "capacity", "audience")}
        for f in frames
    ]
    response = client.patch(
        f"/api/v1/events/{api_event['id']}", json={"frames": frames}, headers=auth(staff)
    )
    assert response.status_code == 422


def test_patch_status_cancelled_cancels_registrations(client, api_event, staff, member):
    seat = api_event["frames"][0]["id"]
    reg = client.post(
        f"/api/v1/events/{api_event['id']}/registrations",
        json={"frame": seat},
        headers=auth(member),
    ).json
    response = client.patch(
        f"/api/v1/events/{api_event['id']}", json={"status": "cancelled"}, headers=auth(staff)
    )
    assert response.status_code == 200 and response.json["status"] == "cancelled"
    mine = client.get("/api/v1/me/registrations", headers=auth(member)).json["items"]
    assert [(r["id"], r["status"]) for r in mine] == [(reg["id"], "cancelled")]


def test_branch_staff_cannot_change_another_units_event(client, api_event, make_user):
    branch_staff = make_user("staff", unit_key="branch:chiyoda")
    response = client.patch(
        f"/api/v1/events/{api_event['id']}", json={"title": "x"}, headers=auth(branch_staff)
    )
    assert response.status_code == 403


def test_member_only_events_are_404_for_guests(client, staff, make_user):
    event = client.post(
        "/api/v1/events", json=event_body(member_only=True), headers=auth(staff)
    ).json
    assert client.get(f"/api/v1/events/{event['id']}").status_code == 404
    assert (
        client.get(f"/api/v1/events/{event['id']}", headers=auth(make_user("guest"))).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/events/{event['id']}", headers=auth(make_user("member"))).status_code
        == 200
    )


def test_the_join_url_is_shown_only_to_confirmed_attendees(client, api_event, member):
    online = api_event["frames"][1]["id"]
    url = f"/api/v1/events/{api_event['id']}"
    assert client.get(url, headers=auth(member)).json["online_url"] is None
    client.post(url + "/registrations", json={"frame": online}, headers=auth(member))
    assert client.get(url, headers=auth(member)).json["online_url"] == "https://meet.example.jp/j/x"
