import re

from booking.accounts.models import User
from booking.extensions import db
from tests.conftest import PASSWORD, login

SIGNUP = {
    "family_name": "鈴木", "given_name": "花子", "family_kana": "すずき", "given_kana": "ハナコ",
    "email": "ＨＡＮＡＫＯ＠ｅｘａｍｐｌｅ．ｊｐ", "phone": "０３－１１１１－２２２２",
    "password": "long-enough-1", "password_again": "long-enough-1",
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


def test_signing_up_twice_with_one_address_is_refused_with_a_message(client, make_user):
    make_user("guest", email="hanako@example.jp")
    response = client.post("/account/signup", data=SIGNUP)
    assert response.status_code == 422
    assert "このメールアドレスは既に登録されています。" in response.get_data(as_text=True)


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
