"""The directory over the API: same filters as the page, 400 for unknown ones, no secrets."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from booking.api import exhibitions as api
from booking.exhibitions.models import Booth
from booking.extensions import db


@pytest.fixture
def fair(make_fair):
    return make_fair()


@pytest.fixture
def listed(fair, make_exhibitor):
    ict, _ = make_exhibitor(
        fair, name="あおばシステムズ", display_kana="アオバ", category="ict", online_meetings=True,
        online_meeting_url="https://meet.example.jp/secret-room", pr_text="ＡＩ活用",
    )  # fmt: skip
    food, _ = make_exhibitor(fair, name="さくら食品", display_kana="サクラ", category="commerce")
    make_exhibitor(fair, name="審査中", status="applied")
    db.session.query(Booth).filter_by(
        exhibition_id=fair.id, code="B-01"
    ).one().exhibitor_id = ict.id
    db.session.commit()
    return ict, food


def test_published_exhibitions_are_listed(client, fair, make_fair):
    make_fair(status="draft")
    response = client.get("/api/v1/exhibitions")
    assert response.status_code == 200
    items = response.json["items"]
    assert [x["id"] for x in items] == [fair.id]
    assert items[0]["event_id"] == fair.event.id
    assert [z["code"] for z in items[0]["zones"]] == ["A", "B"]


def test_the_directory_lists_accepted_exhibitors_in_furigana_order(client, fair, listed):
    ict, food = listed
    items = client.get(f"/api/v1/exhibitions/{fair.id}/exhibitors").json["items"]
    assert [x["id"] for x in items] == [ict.id, food.id]
    first = items[0]
    assert first["booths"] == [{"code": "B-01", "zone": "B"}] and first["zones"] == ["B"]
    assert first["categories"] == [{"slug": "ict", "name": "情報通信部会"}]
    assert first["online_meetings"] is True
    assert first["page_url"].endswith(f"/exhibitions/{fair.id}/exhibitors/{ict.id}")


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("category=ict", ["あおばシステムズ"]),
        ("zone=B", ["あおばシステムズ"]),
        ("zone=A", []),
        ("q=ai", ["あおばシステムズ"]),
        ("q=さくら", ["さくら食品"]),
    ],
)
def test_the_directory_filters(client, fair, listed, query, names):
    response = client.get(f"/api/v1/exhibitions/{fair.id}/exhibitors?{query}")
    assert response.status_code == 200
    assert [x["name"] for x in response.json["items"]] == names


@pytest.mark.parametrize("query", ["category=nowhere", "zone=Z", "category=branch%3Achiyoda"])
def test_unknown_filter_values_answer_400_json(client, fair, listed, query):
    response = client.get(f"/api/v1/exhibitions/{fair.id}/exhibitors?{query}")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "unknown_filter"
    assert response.json["error"]["message"]


def test_a_malformed_offset_is_422_json(client, fair):
    response = client.get(f"/api/v1/exhibitions/{fair.id}/exhibitors?offset=x")
    assert response.status_code == 422 and set(response.json["error"]) == {"code", "message"}


def test_the_directory_is_paged(client, fair, make_exhibitor, monkeypatch):
    monkeypatch.setattr(api, "PAGE", 2)
    for i in range(5):
        make_exhibitor(fair, display_kana=f"ア{i}", hours=False)
    url = f"/api/v1/exhibitions/{fair.id}/exhibitors?q="
    seen = []
    while url:
        body = client.get(url).json
        seen += [x["kana"] for x in body["items"]]
        nxt = urlsplit(body.get("next", ""))
        url = f"{nxt.path}?{nxt.query}" if nxt.path else None
        assert len(seen) <= 5
    assert seen == [f"ア{i}" for i in range(5)]


def test_one_exhibitor_and_no_secrets(client, fair, listed):
    ict, _ = listed
    response = client.get(f"/api/v1/exhibitions/{fair.id}/exhibitors/{ict.id}")
    assert response.status_code == 200
    assert response.json["name"] == "あおばシステムズ" and response.json["pr_text"] == "ＡＩ活用"
    text = response.get_data(as_text=True)
    assert "secret-room" not in text and "contact" not in text and "@example" not in text


def test_unknown_hidden_or_unaccepted_is_404(client, fair, listed, make_fair, make_exhibitor):
    pending, _ = make_exhibitor(fair, status="applied")
    draft = make_fair(status="draft")
    hidden, _ = make_exhibitor(draft)
    for path in (f"/exhibitions/{fair.id}/exhibitors/{pending.id}",
                 f"/exhibitions/{draft.id}/exhibitors", f"/exhibitions/{draft.id}/exhibitors/{hidden.id}",
                 "/exhibitions/424242/exhibitors", f"/exhibitions/{fair.id}/exhibitors/424242"):  # fmt: skip
        response = client.get("/api/v1" + path)
        assert response.status_code == 404, path
        assert response.json["error"]["code"] == "not_found"


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/exhibitions", "/exhibitions/{exhibition_id}/exhibitors",
                 "/exhibitions/{exhibition_id}/exhibitors/{exhibitor_id}"):  # fmt: skip
        assert "get" in paths[path]
    params = {
        p["name"] for p in paths["/exhibitions/{exhibition_id}/exhibitors"]["get"]["parameters"]
    }
    assert {"category", "zone", "q", "offset"} <= params
