"""A company administrator (会社の担当者) registers a colleague for a seminar from the event
page, then sees it on the company page: axe clean, at desktop width and on a 375 px phone."""

from __future__ import annotations

import pytest

from booking.companies.admins import appoint_admin
from booking.extensions import db
from booking.timefmt import now_utc
from tests.factories import PASSWORD


@pytest.fixture
def company(make_user, make_event):
    """Ids and e-mails only: the test's session must hold no SQLite lock while the server runs."""
    admin = make_user("member", family_name="山田", given_name="太郎", family_kana="ヤマダ",
                      given_kana="タロウ")  # fmt: skip
    colleague = make_user("member", company=admin.company, family_name="鈴木",
                          given_name="花子", family_kana="スズキ", given_kana="ハナコ")  # fmt: skip
    appoint_admin(admin, make_user("staff"), now_utc())
    event = make_event(title="販路開拓セミナー", per_company_limit=2)
    facts = {"admin": admin.email, "colleague": colleague.id, "event": event.id}
    db.session.commit()
    return facts


def _sign_in(page, base, email):
    page.goto(base + "/account/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログインする").click()
    page.get_by_role("heading", name="マイページ").wait_for()


@pytest.mark.parametrize("width", [1280, 375])
def test_an_administrator_registers_a_colleague(page, live_server, axe_check, company, width):
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page, live_server, company["admin"])
    page.goto(f"{live_server}/events/{company['event']}")
    page.get_by_role("link", name="同僚を申し込む").click()
    page.get_by_role("heading", name="同僚のお申し込み").wait_for()
    axe_check(page, f"proxy registration form at {width}px")
    _no_sideways_scroll(page)
    page.get_by_label("お申し込みになる方").select_option(str(company["colleague"]))
    page.get_by_label("会場参加").check()
    page.get_by_role("button", name="この内容で申し込む").click()
    page.get_by_role("heading", name="会社のメンバーと申込状況").wait_for()
    assert "鈴木 花子様のお申し込みを受け付けました" in page.content()
    section = page.locator("section.colleague", has_text="鈴木 花子")
    assert "販路開拓セミナー" in section.inner_text()
    assert "山田 太郎様が手続き" in section.inner_text()
    axe_check(page, f"company page at {width}px")
    _no_sideways_scroll(page)


def test_the_form_refuses_a_new_person_without_furigana_and_keeps_the_input(
    page, live_server, axe_check, company
):
    page.set_viewport_size({"width": 375, "height": 900})
    _sign_in(page, live_server, company["admin"])
    page.goto(f"{live_server}/mypage/company/events/{company['event']}/register")
    page.get_by_label("お申し込みになる方").select_option("new")
    page.locator("#family_name").fill("高橋")
    page.get_by_role("button", name="この内容で申し込む").click()
    page.get_by_role("heading", name="入力内容を確認してください").first.wait_for()
    assert page.locator("#family_name").input_value() == "高橋"
    assert page.locator("#family_kana-error").is_visible()
    axe_check(page, "proxy registration with errors")


def _no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
