"""A member follows a section from an event page at phone width, sees it on My Page, gets the
weekly digest (the command, the real outbox and dispatcher) and opts out from its link."""

from __future__ import annotations

import re

from booking.extensions import db
from booking.org.services import unit_by_key
from tests.conftest import PASSWORD
from tests.factories import make_user
from tests.follows.conftest import company

PHONE = {"width": 375, "height": 800}


def _no_sideways_scroll(page, label: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{label} scrolls sideways at 375 px ({width})"


def test_member_follows_a_section_and_gets_the_digest(
    app, page, live_server, axe_check, make_event, runner, sent_mail
):
    member = make_user("member", company=company(section="industry", branch="chiyoda"))
    email = member.email
    event = make_event(title="工場のIoT活用セミナー", unit="hq", days=9,
                       tags=[unit_by_key("section:industry")])  # fmt: skip
    event_id = event.id
    db.session.commit()  # release SQLite's write lock for the live server's requests

    page.set_viewport_size(PHONE)
    page.goto(live_server + "/account/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログインする").click()
    page.get_by_role("heading", name="マイページ").wait_for()
    recommended = page.locator(
        "section", has=page.get_by_role("heading", name="おすすめのイベント")
    )
    assert "所属部会: 工業部会" in recommended.inner_text()
    axe_check(page, "My Page with recommendations")
    _no_sideways_scroll(page, "My Page")

    page.goto(f"{live_server}/events/{event_id}")
    page.get_by_role("button", name="工業部会をフォローする").click()
    page.get_by_text("工業部会をフォローしました。").wait_for()
    assert page.url.endswith(f"/events/{event_id}")
    assert page.get_by_role("button", name="工業部会のフォローを解除する").is_visible()
    axe_check(page, "the event page with a follow button")
    _no_sideways_scroll(page, "the event page")

    page.goto(live_server + "/mypage/")
    page.get_by_role("link", name="フォローと新着のお知らせ").click()
    page.get_by_role("heading", name="フォローと新着のお知らせ").wait_for()
    assert "工業部会" in page.locator(".follow-list").inner_text()
    axe_check(page, "the follows settings")
    _no_sideways_scroll(page, "the follows settings")

    result = runner.invoke(args=["follows", "digest"])
    assert result.output.strip() == "digests planned: 1"
    [mail] = sent_mail()
    text = mail.get_body(("plain",)).get_content()
    assert "工場のIoT活用セミナー" in text and "フォロー中: 工業部会" in text
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.search(r"http://\S+/follows/unsubscribe/\S+", text).group(0)
    assert mail["List-Unsubscribe"].strip() == f"<{unsubscribe}>"

    page.goto(unsubscribe)
    page.get_by_role("heading", name="お知らせメールの配信停止").wait_for()
    axe_check(page, "the opt-out page")
    _no_sideways_scroll(page, "the opt-out page")
    page.get_by_role("button", name="配信を停止する").click()
    page.get_by_role("heading", name="配信を停止しました").wait_for()

    page.goto(live_server + "/mypage/follows")
    page.get_by_text("お知らせメールは停止中です。").wait_for()
