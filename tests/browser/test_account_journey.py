"""A guest signs up, confirms by the mailed link, signs in, sees My Page and switches to English."""

import re

from booking.notifications import mailer
from booking.notifications.dispatcher import dispatch_due


def _deliver_and_find_link(app, path_part: str) -> str:
    with app.app_context():
        dispatch_due()
    body = mailer.outbox_memory[-1].get_body(("plain",)).get_content()
    return re.search(rf"(http://127\.0\.0\.1:\d+/account/{path_part}/[\w-]+)", body).group(1)


def test_sign_up_confirm_sign_in_my_page_and_english(app, page, live_server, axe_check):
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "ja"
    axe_check(page, "home")

    page.get_by_role("link", name="新規登録").first.click()
    page.get_by_role("heading", name="新規登録（一般の方）").wait_for()
    axe_check(page, "sign-up")
    page.get_by_label("姓").fill("鈴木")
    page.locator("#given_name").fill("花子")
    page.get_by_label("セイ（フリガナ）").fill("すずき")
    page.get_by_label("メイ（フリガナ）").fill("はなこ")
    page.get_by_label("メールアドレス").fill("ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ")
    page.get_by_label("電話番号").fill("０３－１２３４－５６７８")
    page.locator("#password").fill("long-enough-1")
    page.locator("#password_again").fill("long-enough-1")
    page.get_by_label("個人情報の取扱いに同意する").check()
    page.get_by_role("button", name="登録する").click()
    page.get_by_role("heading", name="確認メールを送信しました").wait_for()

    page.goto(_deliver_and_find_link(app, "confirm"))
    page.get_by_role("button", name="メールアドレスを確認する").click()
    page.get_by_role("heading", name="ログイン").wait_for()

    page.get_by_label("メールアドレス").fill("hanako@example.jp")
    page.get_by_label("パスワード").fill("long-enough-1")
    page.get_by_role("button", name="ログインする").click()
    page.get_by_role("heading", name="マイページ").wait_for()
    assert "鈴木 花子 様" in page.content()
    assert "スズキ ハナコ" in page.content()
    axe_check(page, "My Page")

    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="My Page").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(live_server + "/")  # remembered on the next page
    assert page.get_by_role("heading", name="Upcoming events").is_visible()
    axe_check(page, "home (English)")


def test_sign_up_errors_are_shown_next_to_fields_and_keep_input(page, live_server, axe_check):
    page.goto(live_server + "/account/signup")
    page.get_by_label("姓").fill("鈴木")
    page.get_by_label("セイ（フリガナ）").fill("suzuki")
    page.get_by_role("button", name="登録する").click()
    page.get_by_role("heading", name="入力内容を確認してください").wait_for()
    assert page.get_by_label("姓").input_value() == "鈴木"
    assert page.locator("#family_kana-error").inner_text() == (
        "フリガナはひらがなかカタカナで入力してください。"
    )
    axe_check(page, "sign-up with errors")


def test_password_reset_by_mail(app, page, live_server, make_user):
    # Not touching the returned object: reading it would open a transaction in the test's
    # session, and on SQLite that holds the lock the live server needs.
    make_user("member", email="reset@example.jp")
    page.goto(live_server + "/account/reset")
    page.get_by_label("メールアドレス").fill("reset@example.jp")
    page.get_by_role("button", name="再設定メールを送信する").click()
    page.get_by_role("heading", name="メールをご確認ください").wait_for()
    page.goto(_deliver_and_find_link(app, "reset"))
    page.locator("#password").fill("another-pass-1")
    page.locator("#password_again").fill("another-pass-1")
    page.get_by_role("button", name="パスワードを変更する").click()
    page.get_by_role("heading", name="マイページ").wait_for()


def test_pages_work_at_360px_wide(page, live_server, axe_check):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
