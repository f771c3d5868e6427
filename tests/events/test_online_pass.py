"""An online-frame registration has no door: its page and mails say how to join, not "show the QR"."""

from __future__ import annotations

import pytest

from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import login

AT_THE_DOOR = "受付でこのQRコードをご提示ください"


@pytest.fixture
def make_hybrid(make_event):
    def factory(online_url: str = "https://meet.example.jp/j/42"):
        return make_event(
            format="hybrid", online_url=online_url,
            frames=[dict(name="会場参加", mode="in_person", capacity=10),
                    dict(name="オンライン参加", mode="online", capacity=10)],
        )  # fmt: skip

    return factory


def _register(user, event, frame: int):
    reg = register_for_frame(user, event.id, event.frames[frame].id, {}, now_utc())
    db.session.commit()
    return reg


def test_an_online_pass_shows_the_join_link_instead_of_a_qr_code(client, make_hybrid, member):
    reg = _register(member, make_hybrid(), frame=1)
    assert login(client, member).status_code == 302
    html = client.get(f"/mypage/registrations/{reg.id}").get_data(as_text=True)
    assert "参加方法" in html
    assert 'id="join-link" href="https://meet.example.jp/j/42"' in html
    assert "<svg" not in html and AT_THE_DOOR not in html


def test_an_online_pass_before_the_link_is_known_says_it_will_come(client, make_hybrid, member):
    reg = _register(member, make_hybrid(online_url=""), frame=1)
    assert login(client, member).status_code == 302
    html = client.get(f"/mypage/registrations/{reg.id}").get_data(as_text=True)
    assert "参加用URLが決まりましたら、メールとこのページでお知らせします。" in html
    assert "<svg" not in html and AT_THE_DOOR not in html and 'id="join-link"' not in html


def test_an_in_person_pass_still_shows_the_qr_code(client, make_hybrid, member):
    reg = _register(member, make_hybrid(), frame=0)
    assert login(client, member).status_code == 302
    html = client.get(f"/mypage/registrations/{reg.id}").get_data(as_text=True)
    assert "<svg" in html and AT_THE_DOOR in html
    assert "meet.example.jp" not in html


def test_the_online_confirmation_mail_says_how_to_join(make_hybrid, member, sent_mail):
    _register(member, make_hybrid(), frame=1)
    [mail] = sent_mail()
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "当日は下記の参加用URLからご参加ください。" in text
    assert "https://meet.example.jp/j/42" in text
    assert "QRコード" not in text and "QRコード" not in html


def test_the_online_confirmation_without_a_link_yet_promises_it(make_hybrid, member, sent_mail):
    _register(member, make_hybrid(online_url=""), frame=1)
    [mail] = sent_mail()
    text = mail.get_body(("plain",)).get_content()
    assert "参加用URLは、決まり次第メールでお知らせします。" in text
    assert "QRコード" not in text


def test_the_in_person_confirmation_mail_still_carries_the_pass(make_hybrid, member, sent_mail):
    _register(member, make_hybrid(), frame=0)
    [mail] = sent_mail()
    text = mail.get_body(("plain",)).get_content()
    assert "当日は受付で参加証（QRコード）をご提示ください。" in text
    assert "meet.example.jp" not in text
