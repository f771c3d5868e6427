"""Staff offer certificates and publish a handout; after the event an attendee, on a phone
(375 px), downloads both from My Page and opens the certificate's verification page
(axe-core clean, no sideways scrolling)."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader

from booking.events.passes import check_in
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import as_utc, now_utc
from tests.browser.test_events_journey import _sign_in

HANDOUT = b"%PDF-1.4\n% handout\n%%EOF\n"


@pytest.fixture
def seminar(make_event):
    return make_event(days=2, title="BCP策定セミナー 実践編", unit="branch:chiyoda")


@pytest.fixture
def attendee(seminar, make_user):
    user = make_user("member", email="hanako@example.jp", family_name="佐藤", given_name="花子",
                     family_kana="サトウ", given_kana="ハナコ")  # fmt: skip
    reg = register_for_frame(user, seminar.id, seminar.frames[0].id, {}, now_utc())
    db.session.commit()
    return user, reg


def _no_sideways_scroll(page, width: int, label: str) -> None:
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width, f"{label} scrolls sideways at {width} px ({scrolled}px)"


def test_an_attendee_downloads_the_certificate_and_handout_and_verifies_it(
    browser, page, live_server, axe_check, clock, seminar, attendee, make_user, tmp_path, app
):  # fmt: skip
    app.config["MATERIALS_DIR"] = str(tmp_path)
    user, reg = attendee
    staff = make_user("staff", unit_key="branch:chiyoda")
    # SQLite: every transaction takes the write lock, so the test holds none while the server
    # works; read what it needs now.
    event_id, reg_id = seminar.id, reg.id
    starts, ends = as_utc(seminar.starts_at), as_utc(seminar.ends_at)
    number = f"{starts.year}-{reg_id:06d}"
    db.session.commit()

    # Staff, at the desk: offer certificates, upload the handout and publish it.
    _sign_in(page, live_server, staff)
    page.goto(f"{live_server}/staff/events/{event_id}/certificates")
    axe_check(page, "staff certificates page")
    page.get_by_label("このイベントで受講証明書を発行する").check()
    page.get_by_role("button", name="設定を保存する").click()
    page.get_by_text("受講証明書を発行する設定にしました。").wait_for()
    page.get_by_label("資料名").fill("当日のスライド")
    handout = tmp_path / "スライド.pdf"
    handout.write_bytes(HANDOUT)
    page.get_by_label("ファイル").set_input_files(str(handout))
    page.get_by_role("button", name="アップロードする").click()
    page.get_by_text("資料をアップロードしました（まだ公開されていません）。").wait_for()
    page.get_by_role("button", name="公開する", exact=True).click()
    page.get_by_text("資料「当日のスライド」を公開しました。").wait_for()
    axe_check(page, "staff certificates page with a material")

    # The day of the event: checked in at the door; then the event is over.
    clock.move_to(starts - timedelta(minutes=10))
    check_in(reg, now_utc())
    db.session.commit()
    clock.move_to(ends + timedelta(hours=3))

    phone = browser.new_context(locale="ja-JP", viewport={"width": 375, "height": 800},
                                accept_downloads=True)  # fmt: skip
    mobile = phone.new_page()
    mobile.set_default_timeout(10_000)
    try:
        _sign_in(mobile, live_server, user)
        panel = mobile.get_by_role("region", name="受講証明書・資料")
        panel.get_by_role("heading", name="BCP策定セミナー 実践編").wait_for()
        axe_check(mobile, "My Page with a certificate")
        _no_sideways_scroll(mobile, 375, "My Page")

        with mobile.expect_download() as handout_download:
            panel.get_by_role("link", name="資料: 当日のスライド").click()
        assert handout_download.value.suggested_filename == "スライド.pdf"
        assert handout_download.value.path().read_bytes() == HANDOUT

        href = panel.get_by_role("link", name="受講証明書（PDF）").get_attribute("href")
        pdf = mobile.request.get(live_server + href)
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
        text = PdfReader(BytesIO(pdf.body())).pages[0].extract_text()
        assert "佐藤 花子" in text and "BCP策定セミナー 実践編" in text
        assert number in text
        verify_url = next(w for w in text.split() if "/certificates/" in w)

        # Anyone holding the paper (here the same phone, signed out) checks it.
        stranger = browser.new_context(locale="ja-JP", viewport={"width": 375, "height": 800})
        check = stranger.new_page()
        check.goto(verify_url)
        check.get_by_role("heading", name="受講証明書の確認").wait_for()
        check.get_by_text("有効です").wait_for()
        assert number in check.content() and "hanako@example.jp" not in check.content()
        axe_check(check, "verification page")
        _no_sideways_scroll(check, 375, "verification page")
        stranger.close()
    finally:
        phone.close()
