"""Staff open the delivery log, see why a mail failed, and resend it."""

from booking.extensions import db
from booking.notifications.dispatcher import dispatch_due
from booking.notifications.services import plan_message
from tests.conftest import PASSWORD


def test_staff_find_a_failed_mail_and_resend_it(app, page, live_server, axe_check, staff):
    email = staff.email
    plan_message("account:1:reset:x", "tanaka@@example", "account_reset",
                 {"name": "田中 一郎", "url": "http://x/1", "hours": 2})  # fmt: skip
    db.session.commit()
    dispatch_due()
    db.session.commit()  # hold no transaction: on SQLite it would block the server's writes
    page.goto(live_server + "/account/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログインする").click()
    page.goto(live_server + "/staff/")
    page.get_by_role("link", name="メール送信履歴を見る").click()
    page.get_by_role("heading", name="メール送信履歴").wait_for()
    assert "invalid recipient address" in page.content()
    axe_check(page, "delivery log")
    page.set_viewport_size({"width": 360, "height": 800})
    axe_check(page, "delivery log at 360 px")
    page.get_by_role("button", name="再送する").first.click()
    page.get_by_text("メールを再送します。").wait_for()
