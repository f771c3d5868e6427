"""The calendar box on My Page: issue, copy / webcal / Google, regenerate."""

from __future__ import annotations

import re

from tests.conftest import login


def feed_url_on(page: str) -> str | None:
    found = re.search(r'value="(http://tsunagu\.test/calendar/[A-Za-z0-9_-]{43}\.ics)"', page)
    return found.group(1) if found else None


def test_my_page_offers_to_issue_a_feed_url(member_client):
    page = member_client.get("/mypage/").get_data(as_text=True)
    assert "購読用URLを発行する" in page
    assert feed_url_on(page) is None


def test_issuing_shows_the_url_with_copy_webcal_and_google(member_client):
    response = member_client.post("/calendar/feed/private", data={})
    assert response.status_code == 302
    page = member_client.get("/mypage/").get_data(as_text=True)
    url = feed_url_on(page)
    assert url
    assert "URLをコピー" in page
    assert f'href="{url.replace("http://", "webcal://")}"' in page
    assert "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Ftsunagu.test" in page
    assert "URLを再発行する" in page
    assert member_client.get(url.removeprefix("http://tsunagu.test")).status_code == 200
    again = member_client.get("/mypage/").get_data(as_text=True)
    assert feed_url_on(again) == url  # shown again, unchanged


def test_regenerating_from_my_page_replaces_the_url(member_client):
    member_client.post("/calendar/feed/private", data={})
    old = feed_url_on(member_client.get("/mypage/").get_data(as_text=True))
    member_client.post("/calendar/feed/private", data={"action": "regenerate"})
    page = member_client.get("/mypage/").get_data(as_text=True)
    new = feed_url_on(page)
    assert new and new != old
    assert "以前のURLは使えなくなりました" in page
    assert member_client.get(old.removeprefix("http://tsunagu.test")).status_code == 404


def test_only_advisors_have_an_advisor_feed(member_client, client, make_user):
    assert member_client.post("/calendar/feed/advisor", data={}).status_code == 404
    client.post("/account/logout")
    login(client, make_user("advisor"))
    assert client.post("/calendar/feed/advisor", data={}).status_code == 302
    page = client.get("/mypage/").get_data(as_text=True)
    assert "相談スケジュール（相談員用）" in page


def test_issuing_needs_a_login(client):
    assert client.post("/calendar/feed/private", data={}).status_code == 302
