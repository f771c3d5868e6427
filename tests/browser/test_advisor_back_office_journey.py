"""An admin creates a theme and an advisor from pages; the advisor, invited by mail, signs in,
lands on the desk and sets weekly hours; a member books the advisor; the booking appears on
the advisor's desk. Every page is axe-clean and none scrolls sideways at 360 px."""

import re

import pytest

from booking.extensions import db
from booking.notifications import mailer
from booking.notifications.dispatcher import dispatch_due
from tests.conftest import PASSWORD

# The consultation factories (used through request.getfixturevalue).
from tests.consultations.conftest import catalogue  # noqa: F401

pytestmark = pytest.mark.browser
ADVISOR_PASSWORD = "advisor-pass-1"


def _sign_in(page, live_server, email, password, lands_on):
    page.goto(live_server + "/account/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログインする").click()
    page.get_by_role("heading", name=lands_on).wait_for()


def _sign_out(page):
    page.get_by_role("button", name="ログアウト").click()
    page.get_by_role("link", name="ログイン").wait_for()


def _check(page, axe_check, label):
    """axe-clean at 1280 px, and no sideways scroll at 360 px."""
    axe_check(page, label)
    page.set_viewport_size({"width": 360, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{label} scrolls sideways at 360 px ({width} px)"
    page.set_viewport_size({"width": 1280, "height": 900})


def _invitation_link(app) -> str:
    with app.app_context():
        dispatch_due()
    body = mailer.outbox_memory[-1].get_body(("plain",)).get_content()
    return re.search(r"(http://127\.0\.0\.1:\d+/account/reset/[\w-]+)", body).group(1)


def test_admin_sets_up_an_advisor_who_gets_booked(
    app, page, live_server, make_user, member, axe_check, request
):
    request.getfixturevalue("catalogue")
    admin_email, member_email = make_user("admin").email, member.email
    db.session.commit()  # end the test's transaction: SQLite's write lock is the server's

    # The admin adds a theme.
    _sign_in(page, live_server, admin_email, PASSWORD, "管理ダッシュボード")
    page.goto(live_server + "/staff/consultations/")
    _check(page, axe_check, "catalogue")
    page.get_by_role("link", name="テーマを追加する").click()
    page.locator("#name").fill("事業計画づくり")
    page.locator("#name_en").fill("Business plans")
    page.locator("#slot_minutes").fill("60")
    page.locator("#min_notice_hours").fill("24")
    page.get_by_label("追加の質問（1行に1つ）").fill("従業員数")
    _check(page, axe_check, "new theme")
    page.get_by_role("button", name="保存する").click()
    page.get_by_text("ご相談テーマ「事業計画づくり」を保存しました。").wait_for()

    # … and an advisor for it, on a new account invited by mail.
    page.get_by_role("link", name="相談員の一覧").click()
    page.get_by_role("link", name="相談員を登録する").click()
    page.locator("#email").fill("sato.advisor@example.jp")
    page.locator("#family_name").fill("佐藤")
    page.locator("#given_name").fill("一郎")
    page.locator("#family_kana").fill("さとう")
    page.locator("#given_kana").fill("いちろう")
    page.get_by_label("千代田支部").check()
    page.get_by_label("事業計画づくり").check()
    page.get_by_label("オンライン", exact=True).check()
    page.get_by_label("オンライン相談のURL").fill("https://meet.example.jp/sato")
    _check(page, axe_check, "new advisor")
    page.get_by_role("button", name="登録する").click()
    page.get_by_text("相談員「佐藤 一郎」を登録しました。").wait_for()
    _sign_out(page)

    # The advisor chooses a password by the invitation, signs in and lands on the desk.
    page.goto(_invitation_link(app))
    page.locator("#password").fill(ADVISOR_PASSWORD)
    page.locator("#password_again").fill(ADVISOR_PASSWORD)
    page.get_by_role("button", name="パスワードを変更する").click()
    page.get_by_role("heading", name="マイページ").wait_for()
    _sign_out(page)
    _sign_in(page, live_server, "sato.advisor@example.jp", ADVISOR_PASSWORD,
             "相談スケジュール: 佐藤 一郎")  # fmt: skip
    assert page.locator("header").get_by_role("link", name="相談スケジュール").is_visible()
    _check(page, axe_check, "advisor desk")

    # Weekly hours: Fridays 10:00–12:00 (the test's clock is Wednesday 3 June 2026).
    page.locator("main").get_by_role("link", name="受付時間").click()
    page.get_by_label("曜日").select_option(label="金曜日")
    page.locator("#w-starts").fill("10:00")
    page.locator("#w-ends").fill("12:00")
    page.get_by_role("button", name="追加する").click()
    page.get_by_text("受付時間を更新しました。").wait_for()
    assert "10:00〜12:00" in page.content()
    _check(page, axe_check, "advisor hours")
    _sign_out(page)

    # A member books that advisor.
    _sign_in(page, live_server, member_email, PASSWORD, "マイページ")
    page.goto(live_server + "/consultations/")
    page.locator("main").get_by_role("link", name="事業計画づくり", exact=True).click()
    page.get_by_role("link", name="オンライン").click()
    page.get_by_role("link", name="指定なし（どの支部の相談員でも）").click()
    page.get_by_role("heading", name="日時を選んでください").wait_for()
    page.locator("a.slot").first.click()
    page.get_by_label("ご相談の概要").fill("事業計画書の見直し")
    page.get_by_label("従業員数").fill("12名")
    page.get_by_role("button", name="予約内容を確認する").click()
    page.get_by_role("button", name="予約を確定する").click()
    page.get_by_text("ご予約を承りました。").wait_for()
    _sign_out(page)

    # The booking is on the advisor's desk.
    _sign_in(page, live_server, "sato.advisor@example.jp", ADVISOR_PASSWORD,
             "相談スケジュール: 佐藤 一郎")  # fmt: skip
    page.get_by_role("heading", name="次のご相談").wait_for()
    booking = page.locator("a.booking").first
    assert "事業計画づくり" in booking.inner_text()
    _check(page, axe_check, "advisor desk with the booking")
