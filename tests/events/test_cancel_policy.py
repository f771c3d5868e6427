"""Whether a registration can still be cancelled: one policy, asked by My Page, the pass, the
cancel page, the mail link and the API; a refusal always says whom to contact."""

from __future__ import annotations

from datetime import timedelta

import pytest

from booking.accounts.services import issue_api_token
from booking.events.passes import cancel_link_token
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import as_utc, now_utc
from tests.conftest import login


@pytest.fixture
def hq_contact(app):
    from booking.org.services import unit_by_key

    hq = unit_by_key("hq")
    hq.contact_phone, hq.contact_email = "03-3283-0000", "events@tsunagu.example.jp"
    db.session.commit()
    return "主催の本部（電話 03-3283-0000、メール events@tsunagu.example.jp）"


@pytest.fixture
def past_registration(make_event, member):
    """A registration for an event that ended yesterday (made before it, as it was then)."""
    event = make_event(days=-1, title="先週のセミナー")
    then = as_utc(event.starts_at) - timedelta(days=3)
    reg = register_for_frame(member, event.id, event.frames[0].id, {}, then)
    db.session.commit()
    return reg


@pytest.fixture
def late_registration(make_event, member):
    """An upcoming event whose cancellation deadline has passed."""
    event = make_event(
        days=2, title="期限後のセミナー", cancel_until=now_utc() + timedelta(minutes=1)
    )
    reg = register_for_frame(member, event.id, event.frames[0].id, {}, now_utc())
    event.cancel_until = now_utc() - timedelta(minutes=1)
    db.session.commit()
    return reg


def test_my_page_offers_no_cancel_for_a_past_registration(client, member, past_registration,
                                                           make_event):  # fmt: skip
    upcoming = make_event(days=5, title="来週のセミナー")
    reg = register_for_frame(member, upcoming.id, upcoming.frames[0].id, {}, now_utc())
    db.session.commit()
    assert login(client, member).status_code == 302
    html = client.get("/mypage/").get_data(as_text=True)
    assert "先週のセミナー" in html and "来週のセミナー" in html
    assert f"/mypage/registrations/{past_registration.id}/cancel" not in html
    assert f"/mypage/registrations/{reg.id}/cancel" in html


def test_the_pass_of_a_past_registration_offers_no_cancel_and_says_whom_to_ask(
    client, member, past_registration, hq_contact
):  # fmt: skip
    assert login(client, member).status_code == 302
    html = client.get(f"/mypage/registrations/{past_registration.id}").get_data(as_text=True)
    assert "キャンセルする" not in html
    assert "終了したイベントのお申し込みはキャンセルできません。" in html and hq_contact in html


def test_cancelling_a_past_registration_is_refused_naming_the_contact(
    client, member, past_registration, hq_contact
):  # fmt: skip
    assert login(client, member).status_code == 302
    path = f"/mypage/registrations/{past_registration.id}/cancel"
    page = client.get(path).get_data(as_text=True)
    assert hq_contact in page and '<button type="submit" class="button danger">' not in page
    refused = client.post(path)
    assert refused.status_code == 409 and hq_contact in refused.get_data(as_text=True)
    assert past_registration.status == "confirmed"


def test_past_the_deadline_the_mail_link_names_whom_to_contact(client, late_registration,
                                                               hq_contact):  # fmt: skip
    html = client.get(f"/r/{cancel_link_token(late_registration)}").get_data(as_text=True)
    assert f"キャンセルの受付期限を過ぎています。{hq_contact}にご連絡ください。" in html


def test_without_a_known_phone_or_mail_the_refusal_still_names_the_organiser(
    client, member, late_registration
):  # fmt: skip
    assert login(client, member).status_code == 302
    html = client.get(f"/mypage/registrations/{late_registration.id}").get_data(as_text=True)
    assert "キャンセルの受付期限を過ぎています。主催の本部にご連絡ください。" in html
    mypage = client.get("/mypage/").get_data(as_text=True)
    assert f"/mypage/registrations/{late_registration.id}/cancel" not in mypage


def test_the_api_refuses_a_late_cancel_with_the_contact(client, member, late_registration,
                                                        hq_contact):  # fmt: skip
    headers = {"Authorization": f"Bearer {issue_api_token(member)}"}
    db.session.commit()
    response = client.delete(f"/api/v1/registrations/{late_registration.id}", headers=headers)
    assert response.status_code == 409
    assert response.json["error"]["code"] == "cancel_deadline_passed"
    assert hq_contact in response.json["error"]["message"]


def test_english_refusals_name_the_contact_too(client, member, late_registration, hq_contact):
    member.locale = "en"
    db.session.commit()
    assert login(client, member).status_code == 302
    html = client.get(f"/mypage/registrations/{late_registration.id}").get_data(as_text=True)
    assert "Please contact the organiser, 本部" in html
    assert "03-3283-0000" in html and "events@tsunagu.example.jp" in html
