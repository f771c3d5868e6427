"""A member issues a feed URL on My Page, copies it, regenerates it; the public feeds page."""

import urllib.error
import urllib.request

from booking.extensions import db
from tests.conftest import PASSWORD


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_member_subscribes_copies_and_regenerates(app, page, live_server, axe_check, member):
    email = member.email
    db.session.commit()  # release SQLite's write lock for the live server's requests
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto(live_server + "/account/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログインする").click()
    page.get_by_role("heading", name="マイページ").wait_for()

    page.get_by_role("button", name="購読用URLを発行する").click()
    field = page.get_by_label("購読用URL（ご本人専用です。他の人に教えないでください）")
    url = field.input_value()
    assert url.startswith(live_server + "/calendar/") and url.endswith(".ics")
    webcal = page.get_by_role("link", name="カレンダーアプリで購読する")
    assert webcal.get_attribute("href") == url.replace("http://", "webcal://")
    assert "calendar.google.com" in page.get_by_role(
        "link", name="Google カレンダーに追加"
    ).get_attribute("href")
    axe_check(page, "My Page with the feed box")

    page.get_by_role("button", name="URLをコピー").click()
    page.get_by_text("コピーしました").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == url
    assert _status(url) == 200

    page.get_by_role("button", name="URLを再発行する").click()
    page.get_by_text("以前のURLは使えなくなりました").wait_for()
    new_url = field.input_value()
    assert new_url != url
    assert _status(url) == 404
    assert _status(new_url) == 200


def test_public_feeds_page_at_phone_width(page, live_server, axe_check):
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(live_server + "/calendar/")
    page.get_by_role("heading", name="公開カレンダー", exact=True).wait_for()
    assert page.get_by_role("heading", name="支部ごと").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways at 360 px ({width})"
    axe_check(page, "public feeds")
