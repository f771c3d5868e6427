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
    page.get_by_role("link", name="送信できなかったメールを確認する").click()
    page.get_by_role("heading", name="メール送信履歴").wait_for()
    assert "invalid recipient address" in page.content()
    assert page.get_by_text("送信失敗").count() >= 1
    axe_check(page, "delivery log")
    page.set_viewport_size({"width": 360, "height": 800})
    axe_check(page, "delivery log at 360 px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="再送する").first.click()
    page.get_by_text("メールを再送します。").wait_for()


def test_staff_add_a_reminder_after_the_end_of_an_event(app, page, live_server, axe_check, staff):
    from datetime import timedelta

    from sqlalchemy import select

    from booking.events.models import Event
    from booking.org.models import Unit
    from booking.timefmt import now_utc

    email = staff.email
    start = now_utc() + timedelta(days=10)
    event = Event(kind="seminar", format="online", unit_id=db.session.scalar(select(Unit.id)),
                  title="DX推進セミナー", starts_at=start, ends_at=start + timedelta(hours=2),
                  status="published")  # fmt: skip
    db.session.add(event)
    db.session.commit()
    url = f"{live_server}/staff/outbox/events/{event.id}/reminders"
    db.session.commit()
    page.goto(live_server + "/account/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログインする").click()
    page.goto(url)
    page.get_by_role("heading", name="リマインダーの設定").wait_for()
    axe_check(page, "event reminders")
    page.get_by_label("終了の翌日", exact=True).check()
    page.get_by_label("件名（日本語）").fill("講演資料とアンケートのお願い")
    page.get_by_role("button", name="保存する").click()
    page.get_by_text("リマインダーを保存しました。").wait_for()
    assert "講演資料とアンケートのお願い" in page.content()
    page.get_by_text("終了の翌日", exact=True).first.wait_for()
    axe_check(page, "event reminders after saving")
    page.get_by_label("その他（下で指定する）").check()
    page.get_by_label("長さ（数字）").fill("２")
    page.get_by_label("単位").select_option("H")
    page.get_by_label("開始・終了の前後").select_option("end-before")
    page.get_by_role("button", name="保存する").click()
    page.get_by_text("リマインダーを保存しました。").wait_for()
    assert "終了の2時間前" in page.content()
    page.set_viewport_size({"width": 360, "height": 800})
    axe_check(page, "event reminders at 360 px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_dashboard_reads_at_phone_width(app, page, live_server, axe_check, staff):
    """Every event linked with its fill bar; no sideways scroll at 360 px; axe-clean."""
    from datetime import timedelta

    from booking.events.models import Event, Frame
    from booking.org.services import unit_by_key
    from booking.timefmt import now_utc

    email = staff.email
    for i in range(3):
        start = now_utc() + timedelta(days=3 + i)
        event = Event(kind="seminar", format="in_person", unit=unit_by_key("hq"),
                      title=f"とても長い名前の経営者向けデジタル変革推進セミナー第{i + 1}回",
                      starts_at=start, ends_at=start + timedelta(hours=2), status="published")  # fmt: skip
        event.frames.append(Frame(name="会場参加", capacity=40, taken=10 * i, position=0))
        db.session.add(event)
    db.session.commit()
    page.goto(live_server + "/account/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログインする").click()
    page.goto(live_server + "/staff/")
    page.get_by_role(
        "link", name="とても長い名前の経営者向けデジタル変革推進セミナー第3回"
    ).wait_for()
    axe_check(page, "dashboard")
    page.set_viewport_size({"width": 360, "height": 800})
    axe_check(page, "dashboard at 360 px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="とても長い名前の経営者向けデジタル変革推進セミナー第3回").click()
    page.get_by_role("link", name="リマインダーの設定").wait_for()
