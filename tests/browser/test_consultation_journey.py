"""A member books an online consultation and cancels it; an advisor writes the record."""

from datetime import timedelta

import pytest

from booking.consultations.catalogue import theme_by_slug
from booking.consultations.slots import free_slots
from booking.extensions import db
from booking.timefmt import now_utc, to_local
from tests.conftest import PASSWORD

# The consultation factories (used through request.getfixturevalue).
from tests.consultations.conftest import book, catalogue, make_advisor  # noqa: F401

pytestmark = pytest.mark.browser


def _fits_a_phone(page, label: str) -> None:
    """At 375 px the whole page fits: no sideways scrolling."""
    page.set_viewport_size({"width": 375, "height": 800})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, f"{label} is {width}px wide on a 375px screen"
    page.set_viewport_size({"width": 1280, "height": 900})


def _sign_in(page, live_server, user, lands_on="マイページ"):
    email = user.email
    # Reading an expired attribute opened a transaction; on SQLite (BEGIN IMMEDIATE) it would
    # hold the write lock the server needs, so end it before the browser acts.
    db.session.commit()
    page.goto(live_server + "/account/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログインする").click()
    page.get_by_role("heading", name=lands_on).wait_for()


def test_member_books_an_online_consultation_and_cancels_it(
    page, live_server, member, axe_check, request
):
    advisor = request.getfixturevalue("make_advisor")()
    join_url = advisor.video_url
    _sign_in(page, live_server, member)
    page.goto(live_server + "/consultations/")
    axe_check(page, "themes")
    page.locator("main").get_by_role("link", name="経営相談", exact=True).click()
    page.get_by_role("link", name="オンライン").click()
    page.get_by_role("link", name="指定なし（どの支部の相談員でも）").click()
    page.get_by_role("heading", name="日時を選んでください").wait_for()
    axe_check(page, "week grid")
    _fits_a_phone(page, "the free slots")
    page.locator("a.slot").first.click()
    page.get_by_role("heading", name="ご相談内容の入力").wait_for()
    axe_check(page, "intake")
    page.get_by_label("ご相談の概要").fill("新規事業の資金計画")
    page.get_by_label("相談で実現したいこと").fill("融資の申込準備")
    page.get_by_role("button", name="予約内容を確認する").click()
    page.get_by_role("heading", name="予約内容の確認").wait_for()
    axe_check(page, "confirm")
    _fits_a_phone(page, "the confirm page")
    page.get_by_role("button", name="予約を確定する").click()
    page.get_by_text("ご予約を承りました。").wait_for()
    assert join_url in page.content()  # the join link of an online session
    axe_check(page, "booked")

    page.goto(live_server + "/mypage/")
    axe_check(page, "My Page")
    _fits_a_phone(page, "My Page")
    card = page.locator(".mp-consultation")
    assert card.get_by_role("link", name="日時を変更する").is_visible()
    card.get_by_role("link", name="経営相談", exact=True).click()
    page.get_by_role("link", name="キャンセルする").click()
    page.get_by_role("heading", name="予約のキャンセル").wait_for()
    axe_check(page, "cancel confirmation")
    page.get_by_role("button", name="キャンセルする").click()
    page.get_by_text("ご予約をキャンセルしました。").wait_for()
    assert "キャンセル済み" in page.content()


def test_advisor_sees_the_week_grid_and_writes_the_record(
    page, live_server, member, axe_check, request
):
    advisor = request.getfixturevalue("make_advisor")()
    now = now_utc()
    slot = free_slots(
        theme_by_slug("management"),
        now + timedelta(days=7),
        now + timedelta(days=14),
        now,
        advisor_id=advisor.id,
        channel_slug="online",
    )[0]
    request.getfixturevalue("book")(member, slot.start, advisor, now=now)
    name = advisor.name
    _sign_in(page, live_server, advisor.user, lands_on=f"相談スケジュール: {name}")
    page.goto(f"{live_server}/consultations/desk/?date={to_local(slot.start).date()}")
    page.get_by_role("heading", name=f"相談スケジュール: {name}").wait_for()
    axe_check(page, "advisor week grid")
    page.locator("a.booking").first.click()
    page.get_by_role("link", name="相談記録を書く").click()
    page.get_by_label("相談内容と結果").wait_for()  # the form's own field: the page left has none
    axe_check(page, "record form")
    page.get_by_label("相談内容と結果").fill("資金繰り表の作り方を説明した")
    page.get_by_label("次のステップ").fill("2週間後に再相談")
    page.get_by_role("button", name="保存する").click()
    page.get_by_text("相談記録を保存しました。").wait_for()
    assert "資金繰り表の作り方を説明した" in page.content()
