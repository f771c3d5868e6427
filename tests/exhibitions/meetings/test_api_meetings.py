"""GET /api/v1/exhibitions/<id>/exhibitors/<xid>/meeting-slots."""

from datetime import time

from booking.exhibitions.models import MeetingHours
from booking.extensions import db
from tests.exhibitions.meeting_helpers import at, book, visitor


def url(fair, exhibitor, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/api/v1/exhibitions/{fair.id}/exhibitors/{exhibitor.id}/meeting-slots?{query}"


def test_free_slots_of_a_day_without_a_token(client, make_fair, make_exhibitor, make_user):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair)
    book(visitor(make_user, fair), exhibitor, at(fair, 0, 13, 30))
    body = client.get(url(fair, exhibitor, date=fair.days[0].isoformat())).json
    assert body["exhibitor"] == exhibitor.id and body["minutes"] == 30
    assert [i["start"] for i in body["items"]] == [
        at(fair, 0, h, m).isoformat() for h, m in ((13, 0), (14, 0), (14, 30))
    ]
    assert {i["mode"] for i in body["items"]} == {"booth"}
    assert len(client.get(url(fair, exhibitor)).json["items"]) == 7  # both days


def test_the_mode_filter(client, make_fair, make_exhibitor):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair)
    db.session.add(MeetingHours(exhibitor_id=exhibitor.id, day=fair.days[1], starts=time(16),
                                ends=time(17), mode="online"))  # fmt: skip
    db.session.commit()
    items = client.get(url(fair, exhibitor, mode="online")).json["items"]
    assert [(i["start"], i["mode"]) for i in items] == [
        (at(fair, 1, 16).isoformat(), "online"),
        (at(fair, 1, 16, 30).isoformat(), "online"),
    ]


def test_bad_date_or_mode_is_a_400_json_error(client, make_fair, make_exhibitor):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair)
    for args, code in (({"date": "2026-13-01"}, "bad_date"), ({"date": "tomorrow"}, "bad_date"),
                       ({"mode": "phone"}, "bad_mode")):  # fmt: skip
        response = client.get(url(fair, exhibitor, **args))
        assert response.status_code == 400
        assert response.json["error"]["code"] == code


def test_unpublished_fairs_other_fairs_and_unaccepted_exhibitors_are_404(
    client, make_fair, make_exhibitor
):
    fair, draft = make_fair(), make_fair(status="draft")
    waiting, _ = make_exhibitor(fair, status="applied")
    hidden, _ = make_exhibitor(draft)
    accepted, _ = make_exhibitor(fair)
    assert client.get(url(fair, waiting)).status_code == 404
    assert client.get(url(draft, hidden)).status_code == 404
    assert client.get(url(draft, accepted)).status_code == 404  # not an exhibitor of that fair
    assert client.get(url(fair, accepted)).json["items"]


def test_the_route_is_in_the_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json
    entry = doc["paths"]["/exhibitions/{exhibition_id}/exhibitors/{exhibitor_id}/meeting-slots"]
    assert {p["name"] for p in entry["get"]["parameters"]} == {
        "exhibition_id", "exhibitor_id", "date", "mode"
    }  # fmt: skip
    assert "MeetingSlot" in doc["components"]["schemas"]
