"""Proxy registration, a seat handed to a colleague, invitations: through the product path."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from booking.accounts.services import user_by_email
from booking.companies.handover import hand_over_seat
from booking.errors import AlreadyRegistered, Invalid, NotFound
from booking.events.models import Frame, Registration
from booking.events.passes import check_in
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import login


def _mail_to(mails, address):
    return [m for m in mails if m["To"] == address]


def _text(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def test_an_administrator_registers_a_colleague_who_gets_the_mail_and_the_pass(
    admin_client, company_people, make_event, sent_mail
):
    admin, hanako, _ = company_people
    event = make_event(title="販路開拓セミナー")
    page = admin_client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "同僚を申し込む" in page
    response = admin_client.post(
        f"/mypage/company/events/{event.id}/register",
        data={"colleague": str(hanako.id), "frame": str(event.frames[0].id)},
    )
    assert response.status_code == 302
    reg = db.session.scalar(select(Registration).where(Registration.user_id == hanako.id))
    assert reg.status == "confirmed" and reg.registered_by_id == admin.id
    assert reg.company_id == admin.company_id
    [mail] = _mail_to(sent_mail(), hanako.email)
    text = _text(mail)
    assert "お申し込みを受け付けました" in mail["Subject"]
    assert "貴社の山田 太郎様がお手続きされました" in text
    assert f"/mypage/registrations/{reg.id}" in text  # the pass
    assert not _mail_to(sent_mail(), admin.email)


def test_the_per_company_limit_counts_proxy_registrations(admin_client, company_people, make_event):
    admin, hanako, jiro = company_people
    event = make_event(per_company_limit=2)
    register_for_frame(admin, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    ok = admin_client.post(f"/mypage/company/events/{event.id}/register",
                           data={"colleague": str(hanako.id), "frame": str(event.frames[0].id)})  # fmt: skip
    assert ok.status_code == 302
    refused = admin_client.post(f"/mypage/company/events/{event.id}/register",
                                data={"colleague": str(jiro.id), "frame": str(event.frames[0].id)})  # fmt: skip
    assert refused.status_code == 422
    assert "1社2名まで" in refused.get_data(as_text=True)
    assert db.session.scalar(select(Registration).where(Registration.user_id == jiro.id)) is None


def test_a_new_person_is_registered_and_invited_then_sets_a_password(
    app, admin_client, company_people, make_event, sent_mail
):
    admin = company_people[0]
    event = make_event()
    response = admin_client.post(
        f"/mypage/company/events/{event.id}/register",
        data={"colleague": "new", "frame": str(event.frames[0].id), "family_name": "高橋",
              "given_name": "三郎", "family_kana": "たかはし", "given_kana": "さぶろう",
              "email": "ＴＡＫＡＨＡＳＨＩ@example.jp"},
    )  # fmt: skip
    assert response.status_code == 302
    person = user_by_email("takahashi@example.jp")
    assert person.company_id == admin.company_id and person.family_kana == "タカハシ"
    assert person.password_hash is None
    mails = _mail_to(sent_mail(), "takahashi@example.jp")
    assert {m["Subject"].split("】")[1].split("：")[0] for m in mails} >= {
        "お申し込みを受け付けました",
        f"{admin.company.name}へのご招待",
    }
    invitation = next(m for m in mails if "ご招待" in m["Subject"])
    path = "/company/join/" + re.search(r"/company/join/(\S+)", _text(invitation)).group(1)
    client = app.test_client()  # the invitee's own browser
    form = client.get(path).get_data(as_text=True)
    assert "高橋" in form
    done = client.post(path, data={"family_name": "高橋", "given_name": "三郎",
                                   "family_kana": "タカハシ", "given_kana": "サブロウ",
                                   "password": "sakura-2026", "password_again": "sakura-2026",
                                   "privacy": "y"})  # fmt: skip
    assert done.status_code == 302
    db.session.refresh(person)
    assert person.password_hash and person.email_confirmed_at is not None
    assert client.get(path).status_code == 404  # one time only


def test_an_address_outside_the_company_is_refused_without_saying_whose(
    admin_client, make_user, make_event
):
    stranger = make_user("member")
    event = make_event()
    response = admin_client.post(
        f"/mypage/company/events/{event.id}/register",
        data={"colleague": "new", "frame": str(event.frames[0].id), "family_name": "他社",
              "given_name": "様", "family_kana": "タシャ", "given_kana": "サマ",
              "email": stranger.email},
    )  # fmt: skip
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "このメールアドレスではお申し込みできません" in html and stranger.full_name not in html


def test_a_colleague_of_another_company_cannot_be_registered(admin_client, make_user, make_event):
    stranger = make_user("member")
    event = make_event()
    response = admin_client.post(f"/mypage/company/events/{event.id}/register",
                                 data={"colleague": str(stranger.id),
                                       "frame": str(event.frames[0].id)})  # fmt: skip
    assert response.status_code == 422
    assert db.session.scalar(select(Registration)) is None


def test_a_seat_is_handed_to_a_colleague_without_the_waitlist(
    admin_client, company_people, make_event, make_user, sent_mail
):
    admin, hanako, jiro = company_people
    event = make_event(capacity=1)
    held = register_for_frame(hanako, event.id, event.frames[0].id, {}, now_utc())
    waiting = register_for_frame(make_user("member"), event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    before = len(sent_mail())
    response = admin_client.post(f"/mypage/company/registrations/{held.id}/hand-over",
                                 data={"colleague": str(jiro.id)})  # fmt: skip
    assert response.status_code == 302
    db.session.refresh(held)
    db.session.refresh(waiting)
    new = db.session.scalar(select(Registration).where(Registration.user_id == jiro.id))
    assert held.status == "cancelled" and new.status == "confirmed"
    assert new.frame_id == held.frame_id and new.registered_by_id == admin.id
    assert waiting.status == "waitlisted"  # nobody jumped the queue
    assert db.session.get(Frame, event.frames[0].id).taken == 1
    mails = sent_mail()[before:]
    [old] = _mail_to(mails, hanako.email)
    assert "お席を同僚の方にお譲りしました" in old["Subject"] and "佐藤 次郎" in _text(old)
    assert "text/calendar" in {p.get_content_type() for p in old.walk()}  # the calendar cancel
    [got] = _mail_to(mails, jiro.email)
    assert "お申し込みを受け付けました" in got["Subject"]
    assert f"/mypage/registrations/{new.id}" in _text(got)


def test_the_holder_hands_their_own_seat_over(client, company_people, make_event):
    _admin, hanako, jiro = company_people
    event = make_event()
    held = register_for_frame(hanako, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    login(client, hanako)
    response = client.post(f"/mypage/company/registrations/{held.id}/hand-over",
                           data={"colleague": str(jiro.id)})  # fmt: skip
    assert response.status_code == 302


def test_hand_over_refusals(company_people, make_event, make_user):
    admin, hanako, jiro = company_people
    event = make_event()
    held = register_for_frame(hanako, event.id, event.frames[0].id, {}, now_utc())
    register_for_frame(jiro, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    with pytest.raises(AlreadyRegistered):
        hand_over_seat(held, jiro, admin, now_utc())
    db.session.rollback()
    with pytest.raises(Invalid):
        hand_over_seat(held, make_user("member"), admin, now_utc())
    with pytest.raises(NotFound):
        hand_over_seat(held, admin, jiro, now_utc())  # a colleague who is not an administrator


def test_an_administrator_invites_a_colleague_who_joins_signed_in(
    app, admin_client, company_people, make_user, sent_mail
):
    admin = company_people[0]
    guest = make_user("guest", email="newcomer@example.jp")
    response = admin_client.post("/mypage/company/invite", data={
        "family_name": "新井", "given_name": "恵", "family_kana": "アライ", "given_kana": "メグミ",
        "email": "newcomer@example.jp"})  # fmt: skip
    assert response.status_code == 302
    [mail] = _mail_to(sent_mail(), "newcomer@example.jp")
    path = "/company/join/" + re.search(r"/company/join/(\S+)", _text(mail)).group(1)
    client = app.test_client()
    login(client, guest)
    assert client.post(path).status_code == 302
    db.session.refresh(guest)
    assert guest.company_id == admin.company_id and guest.role == "member"


def test_a_member_of_another_company_cannot_join_by_an_invitation(
    app, admin_client, make_user, sent_mail
):
    other = make_user("member")
    admin_client.post("/mypage/company/invite", data={
        "family_name": "他社", "given_name": "太郎", "family_kana": "タシャ",
        "given_kana": "タロウ", "email": other.email})  # fmt: skip
    [mail] = _mail_to(sent_mail(), other.email)
    path = "/company/join/" + re.search(r"/company/join/(\S+)", _text(mail)).group(1)
    client = app.test_client()
    login(client, other)
    response = client.post(path)
    assert response.status_code == 422 and "別の会社に所属" in response.get_data(as_text=True)
    company_id = other.company_id
    db.session.refresh(other)
    assert other.company_id == company_id


def test_an_unknown_invitation_link_is_404(client):
    assert client.get("/company/join/not-a-real-token-at-all-000").status_code == 404


def test_invitations_are_capped_per_day(company_people, monkeypatch):
    from booking.companies import invitations
    from booking.errors import Conflict

    monkeypatch.setattr(invitations, "INVITES_PER_DAY", 2)
    admin = company_people[0]
    for n in range(2):
        invitations.invite_colleague(admin, invitations.Invitee(f"x{n}@example.jp"), now_utc())
    with pytest.raises(Conflict):
        invitations.invite_colleague(admin, invitations.Invitee("x9@example.jp"), now_utc())


def test_the_company_page_offers_a_hand_over_only_while_the_seat_can_change_hands(
    admin_client, company_people, make_event
):
    _admin, hanako, jiro = company_people
    event = make_event()
    held = register_for_frame(hanako, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    link = f"/mypage/company/registrations/{held.id}/hand-over"
    assert link in admin_client.get("/mypage/company/people").get_data(as_text=True)
    check_in(held, now_utc())  # came to the door: the seat is used
    db.session.commit()
    assert link not in admin_client.get("/mypage/company/people").get_data(as_text=True)
    response = admin_client.post(link, data={"colleague": str(jiro.id)})  # an old tab
    assert response.status_code == 422
    assert "受付済みのお席はお譲りいただけません。" in response.get_data(as_text=True)
