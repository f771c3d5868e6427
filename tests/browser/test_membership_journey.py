"""A guest sees a member price, claims membership by 会員番号 and the company's phone (a wrong
try first), and books the member frame; on a phone-sized screen, axe clean at each step."""

from booking.accounts.models import Company
from booking.extensions import db
from tests.conftest import PASSWORD

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"


def test_a_guest_claims_membership_then_books_the_member_frame(
    page, live_server, axe_check, make_event, make_user
):
    page.set_viewport_size({"width": 375, "height": 800})
    db.session.add(Company(name="株式会社鈴木商店", name_kana="スズキショウテン", member_no="1300004",
                           phone="03-3283-7504", postal_code="100-0005"))  # fmt: skip
    event_id = make_event(title="決算書の読み方入門セミナー", frames=[
        dict(name="会員参加", capacity=40, audience="members", price_label="会員 2,000円（税込）"),
        dict(name="会場参加", capacity=20, audience="guests", price_label="一般 5,000円（税込）"),
    ]).id  # fmt: skip
    email = make_user("guest", email="suzuki@example.jp").email
    db.session.commit()  # SQLite: hold no transaction (no write lock) while the server works

    page.goto(live_server + "/account/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログインする").click()
    page.get_by_role("heading", name="マイページ").wait_for()
    assert page.get_by_role("link", name="会員の方は会員番号で確認できます").is_visible()

    page.goto(f"{live_server}/events/{event_id}")
    page.get_by_text("会員 2,000円（税込）").wait_for()  # the member price, shown to a guest
    axe_check(page, "event detail (guest)")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.get_by_role("link", name="会員の方は会員番号で確認できます").click()

    page.get_by_role("heading", name="会員番号で会員確認").wait_for()
    axe_check(page, "claim form")
    page.get_by_label("会員番号").fill("1300004")
    page.get_by_label("会社の電話番号または郵便番号").fill("03-9999-0000")
    page.get_by_role("button", name="会員として確認する").click()
    page.get_by_role("heading", name="入力内容を確認してください").wait_for()
    assert "組み合わせを確認できませんでした" in page.content()
    assert page.get_by_label("会員番号").input_value() == "1300004"  # what was typed stays
    axe_check(page, "claim refused")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    page.get_by_label("会社の電話番号または郵便番号").fill("０３－３２８３－７５０４")
    page.get_by_role("button", name="会員として確認する").click()
    page.get_by_text("株式会社鈴木商店の会員として確認しました").wait_for()  # back on the event
    assert "会員の方は会員番号で確認できます" not in page.content()

    page.get_by_role("link", name="申し込む").click()
    page.get_by_role("button", name="申込内容を確認する").click()
    page.get_by_role("heading", name="申込内容の確認").wait_for()
    assert "会員参加" in page.content()
    page.get_by_role("button", name="申し込みを確定する").click()
    page.get_by_role("heading", name="お申し込みが完了しました").wait_for()
    assert "会員 2,000円" in page.content()
    axe_check(page, "registration done")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
