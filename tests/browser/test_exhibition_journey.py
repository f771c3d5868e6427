"""A visitor registers for the trade fair, bookmarks an exhibitor and books a meeting (商談);
an exhibitor edits its public page and exports the visitors who shared their contact."""

import io
from datetime import datetime, time, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image
from sqlalchemy import select

from booking.events.registrations import register_for_frame
from booking.exhibitions.meetings.services import book_meeting
from booking.exhibitions.meetings.slots import free_meeting_slots
from booking.exhibitions.models import Booth, Lead, Meeting
from booking.extensions import db
from booking.timefmt import local_zone, now_utc
from tests.conftest import PASSWORD

# The exhibition factories (used through request.getfixturevalue).
from tests.exhibitions.conftest import make_exhibitor, make_fair  # noqa: F401

pytestmark = pytest.mark.browser

SMALL_SCREEN = {"width": 360, "height": 740}


def _sign_in(page, live_server, user):
    email = user.email
    # Reading an expired attribute opened a transaction; on SQLite (BEGIN IMMEDIATE) it would
    # hold the write lock the server needs, so end it before the browser acts.
    db.session.commit()
    page.goto(live_server + "/account/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログインする").click()
    page.get_by_role("heading", name="マイページ").wait_for()


def _assign_booth(fair, exhibitor, code: str) -> None:
    booth = db.session.scalar(
        select(Booth).where(Booth.exhibition_id == fair.id, Booth.code == code)
    )
    booth.exhibitor_id = exhibitor.id
    db.session.commit()


def _fits_small_screen(page, label: str) -> None:
    """Nothing wider than a 360 px phone: no sideways scrolling of the whole page."""
    page.set_viewport_size(SMALL_SCREEN)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= SMALL_SCREEN["width"], f"{label} is {width}px wide on a 360px screen"
    page.set_viewport_size({"width": 1280, "height": 900})


def _search(page, **wanted: str) -> None:
    """Submit the directory's filters and wait for the page of exactly those filters."""
    page.get_by_role("button", name="この条件で探す").click()
    page.wait_for_url(lambda url: {k: v[0] for k, v in parse_qs(urlsplit(url).query,
                      keep_blank_values=True).items()} == wanted)  # fmt: skip
    page.get_by_text("1社").wait_for()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 24), (200, 30, 60)).save(out, format="PNG")
    return out.getvalue()


def test_visitor_registers_bookmarks_an_exhibitor_and_books_a_meeting(
    page, live_server, member, axe_check, request
):
    fair = request.getfixturevalue("make_fair")()
    make = request.getfixturevalue("make_exhibitor")
    seiki, _ = make(fair, name="株式会社さくら精機", category="industry",
                    pr_text="精密部品の試作を短納期で。")  # fmt: skip
    foods, _ = make(
        fair, name="みどり食品株式会社", category="commerce", pr_text="地元野菜の加工品"
    )
    _assign_booth(fair, seiki, "B-03")
    _assign_booth(fair, foods, "A-01")
    event_id, fair_id, seiki_id = fair.event.id, fair.id, seiki.id
    member_id = member.id
    _sign_in(page, live_server, member)

    # Registration for the fair is the event's: register → confirm → done, with the QR pass.
    page.goto(f"{live_server}/events/{event_id}")
    page.get_by_role("heading", name="中小企業マーケットTOKYO").wait_for()
    page.get_by_role("link", name="申し込む").click()
    page.get_by_label("会場来場").check()
    page.get_by_role("button", name="申込内容を確認する").click()
    page.get_by_role("heading", name="申込内容の確認").wait_for()
    page.get_by_role("button", name="申し込みを確定する").click()
    page.get_by_role("heading", name="お申し込みが完了しました").wait_for()
    assert page.locator("figure.pass svg").is_visible()

    page.goto(f"{live_server}/events/{event_id}")
    page.get_by_role("link", name="出展者一覧を見る").click()
    page.get_by_role("heading", name="出展者一覧", exact=True).wait_for()
    results = page.locator("ul.exhibitor-list")
    assert results.get_by_role("link", name="株式会社さくら精機").is_visible()
    assert results.get_by_role("link", name="みどり食品株式会社").is_visible()
    axe_check(page, "directory")
    _fits_small_screen(page, "the directory")

    page.get_by_label("キーワード").fill("精密部品")
    _search(page, q="精密部品", category="", zone="")
    assert results.get_by_role("link", name="みどり食品株式会社").count() == 0
    page.get_by_label("キーワード").fill("")
    page.get_by_label("分野").select_option(label="商業部会")
    _search(page, q="", category="commerce", zone="")
    assert results.get_by_role("link", name="株式会社さくら精機").count() == 0
    page.get_by_label("分野").select_option(label="すべて")
    page.get_by_label("ゾーン").select_option(label="B ものづくり・IT")
    _search(page, q="", category="", zone="B")
    assert results.get_by_role("link", name="みどり食品株式会社").count() == 0

    # The bookmark button comes back pressed, and the exhibitor is on the bookmarks page.
    page.get_by_role("button", name="ブックマーク", exact=True).click()
    page.get_by_text("株式会社さくら精機 をブックマークしました。").wait_for()
    pressed = page.get_by_role("button", name="ブックマーク済み")
    assert pressed.get_attribute("aria-pressed") == "true"
    assert "zone=B" in page.url  # back where it was, filters kept
    page.get_by_role("link", name="ブックマークした出展者（1）").click()
    page.get_by_role("heading", name="ブックマークした出展者").wait_for()
    page.get_by_role("link", name="株式会社さくら精機").click()

    page.get_by_role("heading", name="株式会社さくら精機").wait_for()
    assert page.get_by_text("精密部品の試作を短納期で。").is_visible()
    assert page.get_by_role("button", name="ブックマーク済み").is_visible()
    axe_check(page, "exhibitor page")
    _fits_small_screen(page, "the exhibitor page")
    page.get_by_role("link", name="商談を予約する").click()
    page.get_by_role("heading", name="商談の予約: 株式会社さくら精機").wait_for()
    axe_check(page, "meeting slots")
    _fits_small_screen(page, "the meeting slots")
    first = page.locator("a.slot").first
    label = first.inner_text()
    assert label == "13:00〜13:30"
    first.click()
    page.get_by_role("heading", name="予約内容").wait_for()
    axe_check(page, "meeting booking form")
    page.get_by_label("商談したい内容").fill("試作部品の見積もり")
    share = page.get_by_label("連絡先を出展者に共有する")
    assert not share.is_checked()  # nothing is shared unless the visitor ticks it
    share.check()
    page.get_by_role("button", name="予約を確定する").click()

    page.get_by_text("商談のご予約を承りました。").wait_for()
    page.get_by_role("heading", name="商談のご予約").wait_for()
    assert page.get_by_text("出展者に共有しています").is_visible()
    assert page.get_by_text("試作部品の見積もり").is_visible()
    axe_check(page, "meeting confirmation")
    _fits_small_screen(page, "the meeting confirmation")

    page.goto(live_server + "/mypage/")
    meeting_card = page.locator(".mp-meeting")  # in the one timeline of bookings
    meeting_card.get_by_role("link", name="株式会社さくら精機").wait_for()
    assert meeting_card.get_by_text("ブースで商談").is_visible()
    assert meeting_card.get_by_role("link", name="キャンセルする").is_visible()
    _fits_small_screen(page, "My Page")
    bookmarks = page.get_by_role("region", name="ブックマークした出展者")
    assert bookmarks.get_by_role("link", name="株式会社さくら精機").is_visible()

    db.session.rollback()
    meeting = db.session.scalar(select(Meeting).where(Meeting.visitor_id == member_id))
    assert meeting.exhibitor_id == seiki_id and meeting.mode == "booth"
    assert meeting.starts_at.astimezone(local_zone()).time() == time(13, 0)
    lead = db.session.scalar(select(Lead).where(Lead.visitor_id == member_id))
    assert lead.exhibitor_id == seiki_id and lead.source == "meeting"
    assert fair_id == meeting.exhibition_id


def test_exhibitor_edits_its_page_and_exports_leads(
    page, live_server, axe_check, make_user, request
):
    fair = request.getfixturevalue("make_fair")()
    exhibitor, company_user = request.getfixturevalue("make_exhibitor")(
        fair, name="株式会社あおば技研"
    )
    _assign_booth(fair, exhibitor, "B-01")
    # Two visitors booked before the exhibitor looks: one shared the contact, one did not.
    sharing = make_user("member", family_name="佐藤", given_name="花子",
                        family_kana="サトウ", given_kana="ハナコ")  # fmt: skip
    private = make_user("member", family_name="鈴木", given_name="一郎",
                        family_kana="スズキ", given_kana="イチロウ")  # fmt: skip
    now = now_utc()
    frame_id = fair.event.frames[0].id
    first_day = datetime.combine(fair.days[0], time(0), tzinfo=local_zone())
    slots = free_meeting_slots(exhibitor, first_day, first_day + timedelta(days=1), now, "booth")
    for visitor, slot, share in ((sharing, slots[0], True), (private, slots[1], False)):
        register_for_frame(visitor, fair.event.id, frame_id, {}, now)
        book_meeting(visitor, exhibitor, slot.start, "booth", now, share_contact=share)
    db.session.commit()
    exhibitor_id, fair_id = exhibitor.id, fair.id
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _sign_in(page, live_server, company_user)

    page.goto(live_server + "/exhibitor/")
    page.get_by_role("link", name="中小企業マーケットTOKYO").click()
    page.get_by_role("link", name="出展者ページを編集する").click()
    page.get_by_role("heading", name="出展者ページの編集").wait_for()
    axe_check(page, "page editor")
    _fits_small_screen(page, "the page editor")
    page.get_by_label("フリガナ").fill("アオバギケン")
    page.get_by_label("PR文").fill("<script>alert(1)</script>センサー付き治具を展示します。")
    page.get_by_role("button", name="保存する").click()
    page.get_by_text("出展者ページを保存しました。").wait_for()

    page.get_by_label("ロゴ画像 必須").set_input_files(
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.get_by_role("button", name="ロゴ画像を登録する").click()
    page.get_by_text("ロゴ画像を登録しました。").wait_for()
    current = page.get_by_role("img", name="現在のロゴ")
    assert current.evaluate("img => img.complete && img.naturalWidth") == 40

    # A text file named like an image is refused next to the field; the logo stays.
    page.get_by_label("ロゴ画像 必須").set_input_files(
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": b"not an image at all"}]
    )
    page.get_by_role("button", name="ロゴ画像を登録する").click()
    error = page.locator("#logo-error")
    error.wait_for()
    assert error.inner_text() == "PNG・JPEG・WebP・GIF の画像ファイルを選んでください。"
    assert page.get_by_role("img", name="現在のロゴ").is_visible()
    axe_check(page, "page editor with a refused logo")

    page.goto(f"{live_server}/exhibitions/{fair_id}/exhibitors/{exhibitor_id}")
    page.get_by_role("heading", name="株式会社あおば技研").wait_for()
    pr = page.get_by_role("region", name="PR")
    assert pr.inner_text().endswith("<script>alert(1)</script>センサー付き治具を展示します。")
    logo = page.get_by_role("img", name="株式会社あおば技研 のロゴ")
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 40
    assert dialogs == []  # the script was shown, never run
    _fits_small_screen(page, "the exhibitor page with a logo")

    page.goto(f"{live_server}/exhibitor/{exhibitor_id}/")
    page.get_by_role("link", name="名刺情報（リード）").click()
    page.get_by_role("heading", name="連絡先リスト: 株式会社あおば技研").wait_for()
    table = page.get_by_role("table")
    assert table.get_by_role("rowheader", name="佐藤 花子").is_visible()
    assert "鈴木" not in table.inner_text()
    axe_check(page, "leads")
    _fits_small_screen(page, "the leads")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSVでダウンロード").click()
    download = info.value
    assert download.suggested_filename.startswith(f"leads-{exhibitor_id}-")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "佐藤 花子" in text and "サトウ ハナコ" in text
    assert "鈴木" not in text and "スズキ" not in text

    # The day's meetings show both visitors, and whose contact is shared.
    page.get_by_role("link", name="商談一覧", exact=True).click()
    page.get_by_role("heading", name="商談一覧: 株式会社あおば技研").wait_for()
    assert page.get_by_role("row", name="佐藤 花子").get_by_text("共有済み").is_visible()
    assert page.get_by_role("row", name="鈴木 一郎").get_by_text("共有なし").is_visible()
    axe_check(page, "the day's meetings")
    _fits_small_screen(page, "the day's meetings")
