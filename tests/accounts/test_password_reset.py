import re

from booking.extensions import db
from tests.conftest import PASSWORD, login


def _reset_path(mail):
    return re.search(r"(/account/reset/[\w-]+)", mail.get_body(("plain",)).get_content()).group(1)


def test_reset_by_mailed_one_time_link(client, member, sent_mail):
    assert client.post("/account/reset", data={"email": member.email}).status_code == 200
    [mail] = sent_mail()
    path = _reset_path(mail)
    form = {"password": "brand-new-pass", "password_again": "brand-new-pass"}
    assert client.post(path, data=form).status_code == 302
    client.post("/account/logout")
    assert login(client, member, PASSWORD).status_code == 401
    assert login(client, member, "brand-new-pass").status_code == 302
    assert client.get(path).status_code == 404  # spent


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client, sent_mail):
    response = client.post("/account/reset", data={"email": "nobody@example.jp"})
    assert response.status_code == 200
    assert "ご登録があれば" in response.get_data(as_text=True)
    assert sent_mail() == []


def test_a_password_change_signs_out_other_sessions(app, member, sent_mail):
    other_device = app.test_client()
    login(other_device, member)
    assert other_device.get("/mypage/").status_code == 200
    resetter = app.test_client()
    resetter.post("/account/reset", data={"email": member.email})
    path = _reset_path(sent_mail()[0])
    resetter.post(path, data={"password": "brand-new-pass", "password_again": "brand-new-pass"})
    assert other_device.get("/mypage/").status_code == 302


def test_a_too_short_new_password_keeps_the_link_usable(client, member, sent_mail):
    client.post("/account/reset", data={"email": member.email})
    path = _reset_path(sent_mail()[0])
    response = client.post(path, data={"password": "short", "password_again": "short"})
    assert response.status_code == 422
    assert "8文字以上" in response.get_data(as_text=True)
    assert client.get(path).status_code == 200


def test_only_the_hash_of_the_link_token_is_stored(client, member, sent_mail):
    from booking.accounts.models import AccountToken

    client.post("/account/reset", data={"email": member.email})
    token = _reset_path(sent_mail()[0]).rsplit("/", 1)[1]
    stored = db.session.query(AccountToken).one()
    assert token not in stored.token_hash
