"""A member finds an event, registers, sees the pass on My Page and cancels; staff create an
event, check a person in at the door and export the CSV."""

import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from booking.events.models import Event, Registration
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import as_utc, now_utc, to_local
from tests.conftest import PASSWORD


def _sign_in(page, base, user, lands_on=None):
    email = user.email
    # Staff and admins land on the dashboard, everyone else on My Page (read before the commit:
    # reading an expired attribute afterwards would open a transaction the server waits on).
    lands_on = lands_on or ("管理ダッシュボード" if user.is_staff else "マイページ")
    db.session.commit()  # SQLite: hold no transaction (no write lock) while the server works
    page.goto(base + "/account/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログインする").click()
    page.get_by_role("heading", name=lands_on).wait_for()


def test_member_finds_registers_sees_pass_and_cancels(
    page, live_server, axe_check, make_event, member
):
    make_event(
        title="ものづくり企業のためのDXセミナー", capacity=30, description="**生産管理**のデジタル化",
        questions=[dict(label="業種", kind="choice", choices=["製造", "小売"], required=True)],
    )  # fmt: skip
    make_event(title="別の交流会", kind="exchange")
    _sign_in(page, live_server, member)

    page.get_by_role("navigation", name="メイン").get_by_role("link", name="イベント").click()
    page.get_by_role("heading", name="イベント一覧").wait_for()
    axe_check(page, "event list")
    page.get_by_label("キーワード").fill("DX")
    page.get_by_role("button", name="この条件で探す").click()
    page.wait_for_url(re.compile(r"[?&]q=DX"))
    assert page.get_by_role("link", name="別の交流会").count() == 0
    page.get_by_role("link", name="月表示", exact=True).click()
    page.get_by_role("table").wait_for()
    axe_check(page, "month calendar")
    page.get_by_role("link", name="一覧表示").click()
    page.get_by_role("link", name="ものづくり企業のためのDXセミナー").click()
    page.get_by_text("残り30席").wait_for()
    axe_check(page, "event detail")

    page.get_by_role("link", name="申し込む").click()
    page.get_by_role("heading", name="お申し込み", exact=True).wait_for()
    axe_check(page, "registration form")
    page.get_by_role("button", name="申込内容を確認する").click()
    page.get_by_role(
        "heading", name="入力内容を確認してください"
    ).wait_for()  # the answer is required
    page.get_by_label("製造").check()
    page.get_by_role("button", name="申込内容を確認する").click()
    page.get_by_role("heading", name="申込内容の確認").wait_for()
    axe_check(page, "confirmation")
    page.get_by_role("button", name="申し込みを確定する").click()
    page.get_by_role("heading", name="お申し込みが完了しました").wait_for()
    reference = page.locator("#reference").inner_text()
    assert len(reference) == 9
    assert page.locator("figure.pass svg").is_visible()
    axe_check(page, "completion")

    page.get_by_role("link", name="マイページへ").click()
    page.get_by_text(reference).wait_for()
    page.get_by_role("link", name="参加証を表示").click()
    page.locator(".pass-qr svg").wait_for()  # the pass page, to show or print
    axe_check(page, "pass")
    page.get_by_role("link", name="マイページへ").click()
    page.get_by_role("link", name="キャンセルする").click()
    page.get_by_role("heading", name="キャンセルの確認").wait_for()
    axe_check(page, "cancel confirmation")
    page.get_by_role("button", name="キャンセルする").click()
    page.get_by_role("heading", name="キャンセルしました").wait_for()
    db.session.rollback()
    assert db.session.scalar(select(Registration.status)) == "cancelled"


def test_staff_create_an_event_check_in_and_export_csv(
    page, live_server, axe_check, staff, make_user, clock
):
    _sign_in(page, live_server, staff)
    page.goto(live_server + "/staff/events/")
    axe_check(page, "staff events")
    page.get_by_role("link", name="イベントを作成する").click()
    start = to_local(now_utc() + timedelta(days=14)).replace(hour=14, minute=0)
    page.get_by_label("タイトル").fill("BCP策定ワークショップ")
    page.get_by_label("開始日時").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("終了日時").fill((start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("会場名", exact=True).fill("江東支部 会議室")
    page.get_by_label("会場参加の定員").fill("20")
    axe_check(page, "event form")
    page.get_by_role("button", name="作成して公開する").click()
    page.get_by_role("heading", name="BCP策定ワークショップ").wait_for()
    axe_check(page, "manage event")

    db.session.rollback()
    event = db.session.scalar(select(Event).where(Event.title == "BCP策定ワークショップ"))
    attendee = make_user("member", family_name="江東", family_kana="コウトウ")
    reg = register_for_frame(attendee, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    token, reference, door_opens = reg.pass_token, reg.reference, as_utc(event.starts_at)
    db.session.commit()

    clock.move_to(door_opens - timedelta(minutes=30))  # the door opens on the event's day
    page.get_by_role("link", name="受付（チェックイン）").click()
    scanner = page.get_by_label("参加証のQRコードを読み取ってください")
    assert scanner.evaluate("el => el === document.activeElement")
    axe_check(page, "check-in")
    scanner.fill(token)
    scanner.press("Enter")
    page.get_by_text("受付しました").wait_for()
    page.get_by_label("参加証のQRコードを読み取ってください").fill(token)
    page.get_by_label("参加証のQRコードを読み取ってください").press("Enter")
    page.get_by_text("既に受付済み").wait_for()

    page.get_by_role("link", name="申込者一覧").click()
    page.get_by_text(reference).wait_for()
    with page.expect_download() as info:
        page.get_by_role("link", name="CSVダウンロード").first.click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and reference.encode() in data
