"""A branch staff member creates a hybrid seminar, adds a third frame and edits one, on a
desktop and at 360 px (axe-core clean, no sideways scrolling)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from booking.events.models import Event
from booking.extensions import db
from booking.timefmt import now_utc, to_local
from tests.browser.test_events_journey import _sign_in


@pytest.fixture
def branch_staff(make_user):
    return make_user("staff", unit_key="branch:chiyoda", family_name="千代田")


def _no_sideways_scroll(page, label: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{label} scrolls sideways at 360 px ({width}px)"


def test_branch_staff_create_a_hybrid_seminar_with_three_frames_and_edit_one(
    page, live_server, axe_check, branch_staff
):
    _sign_in(page, live_server, branch_staff)
    page.goto(live_server + "/staff/events/new")
    start = to_local(now_utc() + timedelta(days=21)).replace(hour=14, minute=0)
    page.get_by_label("タイトル").fill("千代田支部 インボイス実務セミナー")
    page.get_by_label("開催形式").select_option("hybrid")
    page.get_by_label("開始日時").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("終了日時").fill((start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("会場名", exact=True).fill("千代田支部 会議室")
    page.get_by_label("オンライン参加用URL").fill("https://meet.example.jp/j/invoice")
    page.get_by_label("会場参加の定員").fill("30")
    page.get_by_label("オンライン参加の定員").fill("100")
    page.get_by_label("1社あたりの上限人数（すべての参加枠の合計。空欄なら制限なし）").fill("2")
    page.get_by_role("button", name="作成して公開する").click()
    page.get_by_role("heading", name="千代田支部 インボイス実務セミナー").wait_for()

    page.get_by_role("link", name="参加枠の追加・編集・並べ替え・締切").click()
    page.get_by_role("heading", name="参加枠の管理").wait_for()
    axe_check(page, "frames")
    page.get_by_role("link", name="参加枠を追加する").click()
    page.get_by_role("heading", name="参加枠の追加").wait_for()
    axe_check(page, "new frame form")
    page.locator("#name").fill("会場参加（会員・懇親会付き）")
    page.get_by_label("参加方法").select_option("in_person")
    page.locator("#capacity").fill("")
    page.get_by_role("button", name="追加する").click()
    page.get_by_role("heading", name="入力内容を確認してください").wait_for()
    axe_check(page, "frame form with errors")
    assert page.locator("#name").input_value() == "会場参加（会員・懇親会付き）"
    page.locator("#capacity").fill("20")
    page.get_by_label("対象（会員限定の枠は「会員のみ」）").select_option("members")
    page.get_by_label("参加費").fill("会員 3,000円")
    page.get_by_role("button", name="追加する").click()
    page.get_by_text("参加枠を追加しました。").wait_for()
    assert page.get_by_role("heading", name="会場参加（会員・懇親会付き）").count() == 1

    # Edit the online frame: more seats.
    page.get_by_role("listitem").filter(has_text="オンライン参加").get_by_role(
        "link", name="編集"
    ).first.click()
    page.get_by_role("heading", name="参加枠の編集").wait_for()
    page.locator("#capacity").fill("150")
    page.get_by_role("button", name="保存する").click()
    page.get_by_text("参加枠を更新しました。").wait_for()
    page.get_by_text("定員150名").wait_for()

    page.set_viewport_size({"width": 360, "height": 740})
    _no_sideways_scroll(page, "frames")
    axe_check(page, "frames at 360 px")
    page.get_by_role("link", name="参加枠を追加する").click()
    # The width is read from the form itself, not from the page being left.
    page.get_by_role("heading", name="参加枠の追加").wait_for()
    _no_sideways_scroll(page, "frame form")

    db.session.rollback()
    event = db.session.scalar(select(Event).where(Event.title.like("千代田支部 インボイス%")))
    assert [(f.name, f.mode, f.capacity, f.audience) for f in event.frames] == [
        ("会場参加", "in_person", 30, "all"),
        ("オンライン参加", "online", 150, "all"),
        ("会場参加（会員・懇親会付き）", "in_person", 20, "members"),
    ]
    assert event.per_company_limit == 2 and event.unit.key == "branch:chiyoda"
