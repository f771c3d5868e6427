import re

from booking.accounts.models import User
from booking.extensions import db
from tests.conftest import PASSWORD, login

SIGNUP = {
    "family_name": "鈴木", "given_name": "花子", "family_kana": "すずき", "given_kana": "ハナコ",
    "email": "ＨＡＮＡＫＯ＠ｅｘａｍｐｌｅ．ｊｐ", "phone": "０３－１１１１－２２２２",
    "password": "long-enough-1", "password_again": "long-enough-1", "privacy": "y",
}  # fmt: skip


def _link(mail, path):
    body = mail.get_body(("plain",)).get_content()
    return re.search(rf"http://tsunagu\.test(/account/{path}/[\w-]+)", body).group(1)


def test_sign_up_normalises_input_and_mails_a_confirmation_link(client, sent_mail):
    response = client.post("/account/signup", data=SIGNUP)
    assert response.status_code == 302
    user = db.session.query(User).filter_by(email="hanako@example.jp").one()
    assert (user.role, user.family_kana, user.phone) == ("guest", "スズキ", "03-1111-2222")
    assert user.email_confirmed_at is None
    [mail] = sent_mail()
    assert mail["To"] == "hanako@example.jp"
    assert "メールアドレスのご確認" in mail["Subject"]
    assert mail["Subject"].startswith("【東京商工会議所】")


def test_the_confirmation_link_only_confirms_on_post(client, sent_mail):
    client.post("/account/signup", data=SIGNUP)
    path = _link(sent_mail()[0], "confirm")
    assert client.get(path).status_code == 200  # a mail scanner's GET changes nothing
    user = db.session.query(User).filter_by(email="hanako@example.jp").one()
    assert user.email_confirmed_at is None
    assert client.post(path).status_code == 302
    db.session.refresh(user)
    assert user.email_confirmed_at is not None
    assert client.post(path).status_code == 404  # one time only


def test_sign_up_errors_keep_what_was_typed(client):
    bad = dict(SIGNUP, family_kana="suzuki", password_again="different")
    response = client.post("/account/signup", data=bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "フリガナはひらがなかカタカナで入力してください。" in html
    assert "パスワードが一致しません。" in html
    assert 'value="鈴木"' in html and 'value="suzuki"' in html
    assert db.session.query(User).count() == 0


def test_a_taken_address_gets_the_same_answer_and_its_owner_a_note(client, make_user, sent_mail):
    owner = make_user("guest", email="hanako@example.jp")
    response = client.post("/account/signup", data=SIGNUP)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/signup/sent")
    assert db.session.query(User).count() == 1
    [mail] = sent_mail()
    assert mail["To"] == owner.email
    assert "新規登録のお申し込みがありました" in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()
    assert "http://tsunagu.test/account/reset" in body
    # A second try within the hour mails no one again (sent_mail lists every mail sent).
    client.post("/account/signup", data=SIGNUP)
    assert len(sent_mail()) == 1


def test_a_taken_but_unconfirmed_address_gets_its_confirmation_link_again(client, sent_mail):
    client.post("/account/signup", data=SIGNUP)
    assert len(sent_mail()) == 1
    assert client.post("/account/signup", data=SIGNUP).status_code == 302
    _first, again = sent_mail()
    assert again["To"] == "hanako@example.jp"
    assert "/account/confirm/" in again.get_body(("plain",)).get_content()
    assert db.session.query(User).count() == 1


def test_sign_up_keeps_a_guests_company_and_when_they_agreed(client, clock):
    client.post("/account/signup", data=dict(SIGNUP, company_name="  つなぐ合同会社 "))
    user = db.session.query(User).filter_by(email="hanako@example.jp").one()
    assert user.company_name == "つなぐ合同会社"
    assert user.privacy_agreed_at is not None


def test_sign_up_needs_consent_to_the_handling_of_personal_information(client):
    data = {k: v for k, v in SIGNUP.items() if k != "privacy"}
    response = client.post("/account/signup", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "個人情報の取扱いへの同意が必要です" in html
    assert 'href="/privacy"' in html
    assert db.session.query(User).count() == 0


def test_the_privacy_page_says_how_information_is_used(client):
    html = client.get("/privacy").get_data(as_text=True)
    assert "個人情報の取扱いについて" in html and "利用の目的" in html


def test_a_phone_number_is_digits_and_hyphens(client):
    for bad in ("電話ABC", "03-12", "03--1234-5678", "03 1234 5678 内線2"):
        response = client.post("/account/signup", data=dict(SIGNUP, phone=bad))
        assert response.status_code == 422, bad
        assert "電話番号は数字とハイフンで入力してください" in response.get_data(as_text=True)
    assert (
        client.post("/account/signup", data=dict(SIGNUP, phone="+81-3-1234-5678")).status_code
        == 302
    )


def test_names_refuse_emoji_with_a_clear_message(client):
    for field, value in (("family_name", "鈴木😀"), ("given_name", "花子❤️"),
                         ("company_name", "つなぐ🍣株式会社")):  # fmt: skip
        response = client.post("/account/signup", data=dict(SIGNUP, **{field: value}))
        assert response.status_code == 422, field
        assert "絵文字や記号は使えません" in response.get_data(as_text=True)
    ok = dict(SIGNUP, company_name="㈱つなぐ・ホールディングス")
    assert client.post("/account/signup", data=ok).status_code == 302


def test_a_long_name_is_refused_politely(client):
    response = client.post("/account/signup", data=dict(SIGNUP, family_name="長" * 61))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "60文字以内で入力してください。" in html
    assert "Field cannot be longer" not in html


def test_an_english_confirmation_mail_addresses_the_person_in_english_order(client, sent_mail):
    client.set_cookie("lang", "en")
    client.post("/account/signup", data=dict(SIGNUP, family_name="山田", given_name="太郎",
                                             family_kana="やまだ", given_kana="たろう"))  # fmt: skip
    [mail] = sent_mail()
    body = mail.get_body(("plain",)).get_content()
    assert body.startswith("Dear Taro Yamada")


def test_the_signup_page_sets_each_reading_under_its_name(client):
    html = client.get("/account/signup").get_data(as_text=True)
    grid = html[html.index('class="name-grid"') :]
    order = [
        grid.index(f'id="{f}"') for f in ("family_name", "given_name", "family_kana", "given_kana")
    ]
    assert order == sorted(order)
    assert 'id="company_name"' in html and 'id="privacy"' in html


def test_sign_in_and_out(client, member):
    assert login(client, member).headers["Location"] == "/mypage/"
    assert client.get("/mypage/").status_code == 200
    client.post("/account/logout")
    assert client.get("/mypage/").status_code == 302


def test_a_wrong_password_says_so_without_telling_which_part(client, member):
    response = login(client, member, "wrong-password")
    assert response.status_code == 401
    assert "メールアドレスまたはパスワードが正しくありません。" in response.get_data(as_text=True)


def test_sign_in_accepts_a_full_width_email(client, make_user):
    make_user("member", email="zen@example.jp")
    response = client.post(
        "/account/login", data={"email": "ｚｅｎ＠ｅｘａｍｐｌｅ．ｊｐ", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_next_never_leads_off_site(client, member):
    response = client.post(
        "/account/login?next=https://evil.example/",
        data={"email": member.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/mypage/"


def test_an_unconfirmed_guest_cannot_sign_in_and_gets_the_link_again(client, sent_mail):
    client.post("/account/signup", data=SIGNUP)
    sent_mail()
    form = {"email": "hanako@example.jp", "password": SIGNUP["password"]}
    response = client.post("/account/login", data=form)
    assert response.status_code == 403
    assert "確認メールを再送しました" in response.get_data(as_text=True)
    assert len(sent_mail()) == 2
    client.post("/account/login", data=form)  # a second try within the hour sends no third mail
    assert len(sent_mail()) == 2


def test_outside_the_tests_a_password_is_kept_with_scrypt_and_signs_in(app, database_url):
    """The tests' settings hash cheaply; every other configuration keeps Werkzeug's scrypt,
    through the same sign-up and sign-in pages."""
    from config import Config, ProductionConfig
    from tests.conftest import IsolatedClient, make_app

    assert Config.PASSWORD_HASH_METHOD == ProductionConfig.PASSWORD_HASH_METHOD == "scrypt"
    scrypt_app = make_app(database_url, PASSWORD_HASH_METHOD=Config.PASSWORD_HASH_METHOD)
    scrypt_app.test_client_class = IsolatedClient
    client = scrypt_app.test_client()
    assert client.post("/account/signup", data=SIGNUP).status_code == 302
    user = db.session.query(User).filter_by(email="hanako@example.jp").one()
    assert user.password_hash.startswith("scrypt:")
    user.email_confirmed_at = user.created_at
    db.session.commit()
    response = client.post(
        "/account/login", data={"email": user.email, "password": "long-enough-1"}
    )
    assert response.headers["Location"] == "/mypage/"
    wrong = client.post("/account/login", data={"email": user.email, "password": "wrong-password"})
    assert wrong.status_code == 401
