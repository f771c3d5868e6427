"""`/calendar/public.ics`, `/events/<id>.ics` and the public feeds page, over HTTP."""

from __future__ import annotations

from datetime import timedelta

from booking.extensions import db
from booking.timefmt import now_utc
from tests.calendars.conftest import JAPANESE_LONG, PUNCTUATED
from tests.calendars.parsers import read_all
from tests.conftest import login


def unfolded(body: bytes) -> str:
    return body.decode().replace("\r\n ", "")


def test_public_feed_lists_published_public_events_for_every_parser(client, make_event):
    a = make_event(title=JAPANESE_LONG)
    b = make_event(title=PUNCTUATED)
    response = client.get("/calendar/public.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    got = read_all(response.data)
    assert [s for _, _, s in got] == [JAPANESE_LONG, PUNCTUATED]
    assert got[0][0] == a.starts_at.replace(tzinfo=got[0][0].tzinfo)
    assert got[1][1] == b.ends_at.replace(tzinfo=got[1][1].tzinfo)


def test_public_feed_leaves_out_drafts_member_only_events_and_join_urls(client, make_event):
    make_event(title="公開オンライン", format="online", online_url="https://meet.example.jp/j/9")
    make_event(title="下書き", status="draft")
    make_event(title="会員限定", member_only=True)
    body = client.get("/calendar/public.ics").data
    text = unfolded(body)
    assert "公開オンライン" in text
    assert "下書き" not in text
    assert "会員限定" not in text
    assert "meet.example.jp" not in text
    assert "CONFERENCE" not in text
    assert "LOCATION:オンライン" in text


def test_public_feed_carries_uid_url_location_and_categories(client, make_event, app):
    event = make_event(title="経営セミナー")
    text = unfolded(client.get("/calendar/public.ics").data)
    assert f"UID:event-{event.id}@tsunagu.test" in text
    assert f"URL;VALUE=URI:http://tsunagu.test/events/{event.id}" in text
    assert "LOCATION:本部 会議室、東京都千代田区丸の内3-2-2" in text
    assert "CATEGORIES:セミナー・講演会,本部" in text
    assert "CLASS:PUBLIC" in text
    assert "BEGIN:VALARM" not in text


def test_public_feed_filters_by_branch_kind_and_section(client, make_event):
    make_event(title="千代田の交流会", kind="exchange", unit="branch:chiyoda")
    make_event(title="港のセミナー", kind="seminar", unit="branch:minato")
    make_event(title="本部のセミナー", kind="seminar")

    def titles(query: str) -> list[str]:
        response = client.get(f"/calendar/public.ics?{query}")
        assert response.status_code == 200
        return [s for _, _, s in read_all(response.data)]

    assert titles("branch=chiyoda") == ["千代田の交流会"]
    assert titles("kind=seminar") == ["港のセミナー", "本部のセミナー"]
    assert titles("branch=minato&kind=exchange") == []
    assert len(titles("branch=&kind=&section=")) == 3
    assert titles("branch=chiyoda&branch=minato") == ["千代田の交流会", "港のセミナー"]


def test_public_feed_name_says_what_it_covers(client, make_event):
    make_event(unit="branch:chiyoda")
    text = unfolded(client.get("/calendar/public.ics?branch=chiyoda&kind=seminar").data)
    assert "X-WR-CALNAME:東京商工会議所 セミナー・講演会・千代田支部" in text


def test_unknown_filter_values_answer_400_with_a_message(client):
    for query, word in (("branch=atlantis", "atlantis"), ("kind=party", "party"),
                        ("section=nope", "nope")):  # fmt: skip
        response = client.get(f"/calendar/public.ics?{query}")
        assert response.status_code == 400
        assert word in response.get_data(as_text=True)


def test_cancelled_events_stay_as_cancelled_for_30_days(client, make_event):
    event = make_event(title="台風で中止")
    event.status, event.sequence = "cancelled", event.sequence + 1
    db.session.commit()
    text = unfolded(client.get("/calendar/public.ics").data)
    assert "STATUS:CANCELLED" in text
    assert "SUMMARY:【中止】台風で中止" in text
    event.updated_at = now_utc() - timedelta(days=31)
    db.session.commit()
    assert "台風で中止" not in unfolded(client.get("/calendar/public.ics").data)


def test_a_time_change_raises_sequence_and_keeps_the_uid(client, make_event):
    event = make_event()
    before = unfolded(client.get("/calendar/public.ics").data)
    event.starts_at += timedelta(days=1)
    event.ends_at += timedelta(days=1)
    event.sequence += 1
    db.session.commit()
    after = unfolded(client.get("/calendar/public.ics").data)
    uid = f"UID:event-{event.id}@tsunagu.test"
    assert uid in before and uid in after
    assert "SEQUENCE:0" in before and "SEQUENCE:1" in after
    assert before != after


def test_unchanged_feed_is_byte_identical_with_the_same_etag(client, make_event):
    make_event(title=JAPANESE_LONG)
    first = client.get("/calendar/public.ics")
    second = client.get("/calendar/public.ics")
    assert first.data == second.data
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.headers["Last-Modified"] == second.headers["Last-Modified"]


def test_a_change_changes_the_etag(client, make_event):
    event = make_event()
    first = client.get("/calendar/public.ics").headers["ETag"]
    event.venue_name = "別会場"
    event.sequence += 1
    db.session.commit()
    assert client.get("/calendar/public.ics").headers["ETag"] != first


def test_if_none_match_answers_304_without_a_body(client, make_event):
    make_event()
    first = client.get("/calendar/public.ics")
    again = client.get("/calendar/public.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    other = client.get("/calendar/public.ics", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_if_modified_since_answers_304(client, make_event):
    make_event()
    first = client.get("/calendar/public.ics")
    again = client.get(
        "/calendar/public.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert again.status_code == 304
    old = client.get(
        "/calendar/public.ics", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
    )
    assert old.status_code == 200


def test_public_feed_is_publicly_cacheable_and_not_an_attachment(client, make_event):
    make_event()
    response = client.get("/calendar/public.ics")
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert "Content-Disposition" not in response.headers


def test_head_answers_the_headers_of_get(client, make_event):
    make_event()
    got = client.get("/calendar/public.ics")
    head = client.head("/calendar/public.ics")
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["ETag"] == got.headers["ETag"]
    assert head.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert int(head.headers["Content-Length"]) == len(got.data)


def test_single_event_download_is_an_attachment(client, make_event):
    event = make_event(title=PUNCTUATED, format="hybrid", online_url="https://meet.example.jp/j/2")
    response = client.get(f"/events/{event.id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="event-{event.id}.ics"'
    assert [s for _, _, s in read_all(response.data)] == [PUNCTUATED]
    assert b"meet.example.jp" not in response.data
    assert "BEGIN:VALARM" in unfolded(response.data)


def test_single_event_download_of_a_draft_or_unknown_event_is_404(client, make_event):
    draft = make_event(status="draft")
    assert client.get(f"/events/{draft.id}.ics").status_code == 404
    assert client.get("/events/999999.ics").status_code == 404


def test_member_only_event_download_needs_a_member(client, make_event, make_user):
    event = make_event(member_only=True)
    assert client.get(f"/events/{event.id}.ics").status_code == 302  # to the login page
    guest = make_user("guest")
    login(client, guest)
    assert client.get(f"/events/{event.id}.ics").status_code == 404
    client.post("/account/logout")
    login(client, make_user("member"))
    response = client.get(f"/events/{event.id}.ics")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("private")


def test_the_public_feeds_page_lists_feeds_per_branch_and_kind(client):
    response = client.get("/calendar/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "webcal://tsunagu.test/calendar/public.ics?kind=seminar" in page
    assert "branch=chiyoda" in page
    assert "千代田支部" in page
    assert "section=" in page
    assert "calendar.google.com/calendar/r?cid=webcal" in page


def test_public_feed_is_the_same_whatever_language_the_browser_chose(client, make_event):
    make_event(format="hybrid")
    japanese = client.get("/calendar/public.ics")
    client.post("/lang/en", data={"next": "/"})
    english = client.get("/calendar/public.ics")
    assert english.data == japanese.data
    assert english.headers["ETag"] == japanese.headers["ETag"]


def test_renaming_the_organiser_changes_the_etag(client, make_event):
    event = make_event()
    first = client.get("/calendar/public.ics").headers["ETag"]
    event.unit.name = "本部（新名称）"
    db.session.commit()
    again = client.get("/calendar/public.ics", headers={"If-None-Match": first})
    assert again.status_code == 200
    assert "本部（新名称）" in unfolded(again.data)
