"""Verified membership through the product's pages: a guest claims a member company by its
会員番号 and the company's phone or postal code (exact → member; near miss → staff decide;
wrong → refused without saying which part, five an hour lock), then books a member frame."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from booking.accounts.models import AccountChange, Company, MembershipClaim, User
from booking.extensions import db
from tests.conftest import login

WRONG = "会員番号と、電話番号または郵便番号の組み合わせを確認できませんでした"


@pytest.fixture
def company(app):
    company = Company(name="株式会社つなぐ印刷", name_kana="ツナグインサツ", member_no="1300099",
                      phone="03-3283-7500", postal_code="100-0005")  # fmt: skip
    db.session.add(company)
    db.session.commit()
    return company


@pytest.fixture
def guest(make_user):
    return make_user("guest", email="suzuki@example.jp", family_name="鈴木", given_name="一郎")


@pytest.fixture
def guest_client(client, guest):
    assert login(client, guest).status_code == 302
    return client


def claim(client, member_no="1300099", fact="03-3283-7500", **query):
    return client.post("/account/membership", data={"member_no": member_no, "fact": fact},
                       query_string=query)  # fmt: skip


def claims_of(user) -> list[MembershipClaim]:
    return list(db.session.scalars(select(MembershipClaim).where(MembershipClaim.user_id == user.id)))  # fmt: skip


def test_my_page_offers_the_claim_to_a_guest_and_not_to_a_member(guest_client, make_user, client):
    page = guest_client.get("/mypage/").get_data(as_text=True)
    assert "/account/membership" in page and "会員の方は会員番号で確認できます" in page
    assert guest_client.get("/account/membership").status_code == 200
    client.post("/account/logout")
    assert login(client, make_user("member")).status_code == 302
    assert "/account/membership" not in client.get("/mypage/").get_data(as_text=True)
    assert "会員として確認済みです" in client.get("/account/membership").get_data(as_text=True)


def test_the_claim_page_needs_a_sign_in(client):
    response = client.get("/account/membership")
    assert response.status_code == 302 and "/account/login" in response.location


def test_an_exact_claim_joins_the_company_records_it_and_mails(
    guest_client, guest, company, sent_mail
):
    # Full-width digits and another hyphen are the same phone number.
    response = claim(guest_client, member_no="１３０００９９", fact="０３ー３２８３ー７５００")
    assert response.status_code == 302 and response.location.endswith("/mypage/")
    db.session.expire_all()
    person = db.session.get(User, guest.id)
    assert person.role == "member" and person.company_id == company.id and person.is_member
    change = db.session.scalar(select(AccountChange).where(AccountChange.user_id == guest.id))
    assert change.kind == "membership" and change.actor_id == guest.id and "1300099" in change.after
    [mail] = [m for m in sent_mail() if m["To"] == "suzuki@example.jp"]
    assert "会員として確認しました" in mail["Subject"]
    assert "株式会社つなぐ印刷" in mail.get_body(("plain",)).get_content()
    assert claims_of(guest)[0].outcome == "joined"


def test_the_postal_code_works_as_well_and_next_leads_back(guest_client, guest, company):
    response = claim(guest_client, fact="1000005", next="/events/1")
    assert response.status_code == 302 and response.location.endswith("/events/1")


@pytest.mark.parametrize("member_no, fact", [
    ("1300098", "03-3283-7500"),   # no such number
    ("1300099", "03-9999-0000"),   # the number, another company's phone
    ("1300099", "150-0001"),       # the number, a postal code far off
])  # fmt: skip
def test_a_wrong_claim_says_so_without_saying_which_part(
    guest_client, guest, company, member_no, fact
):
    response = claim(guest_client, member_no=member_no, fact=fact)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and WRONG in page
    assert member_no in page  # what was typed stays
    db.session.expire_all()
    person = db.session.get(User, guest.id)
    assert person.role == "guest" and person.claim_failures == 1
    assert claims_of(guest) == []  # nothing typed is kept


def test_neither_a_phone_nor_a_postal_code_is_a_clear_field_message(guest_client, guest, company):
    response = claim(guest_client, fact="電話ABC")
    assert response.status_code == 422
    assert "郵便番号（例: 100-0005）を入力してください" in response.get_data(as_text=True)
    assert claims_of(guest) == []  # a typing error is not a failed claim


def test_five_wrong_claims_an_hour_lock_claims_for_the_account(guest_client, guest, company, clock):
    for _ in range(5):
        assert claim(guest_client, fact="03-9999-0000").status_code == 422
        clock.advance(minutes=5)
    # Locked: even the right answer is not checked now.
    response = claim(guest_client)
    assert response.status_code == 422
    assert "まで会員確認を受け付けません" in response.get_data(as_text=True)
    assert "受け付けません" in guest_client.get("/account/membership").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, guest.id).role == "guest"
    clock.advance(minutes=36)  # the first failure is now more than an hour old
    assert claim(guest_client).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, guest.id).role == "member"


def test_the_lock_is_per_account(guest_client, guest, company, make_user, client):
    for _ in range(5):
        claim(guest_client, fact="03-9999-0000")
    client.post("/account/logout")
    other = make_user("guest")
    assert login(client, other).status_code == 302
    assert claim(client).status_code == 302


@pytest.mark.parametrize("fact", ["03-3283-7501", "03-3283-5700", "100-0006"])
def test_a_near_miss_waits_for_staff(guest_client, guest, company, fact):
    response = claim(guest_client, fact=fact)
    assert response.status_code == 302 and response.location.endswith("/account/membership")
    page = guest_client.get("/account/membership").get_data(as_text=True)
    assert "事務局が確認しています" in page
    db.session.expire_all()
    assert db.session.get(User, guest.id).role == "guest"
    [pending] = claims_of(guest)
    assert pending.outcome == "pending" and pending.company_id == company.id


def test_a_number_with_no_fact_on_file_waits_for_staff(guest_client, guest, company):
    company.phone = ""
    db.session.commit()
    assert claim(guest_client).status_code == 302
    assert claims_of(guest)[0].outcome == "pending"


def test_staff_approve_a_pending_claim(guest_client, guest, company, make_user, client, sent_mail):
    claim(guest_client, fact="03-3283-7501")
    [pending] = claims_of(guest)
    client.post("/account/logout")
    staff = make_user("staff", unit_key="branch:chiyoda")
    login(client, staff)
    dashboard = client.get("/staff/").get_data(as_text=True)
    assert "/staff/accounts/claims/" in dashboard and "確認待ち 1件" in dashboard
    listing = client.get("/staff/accounts/claims/").get_data(as_text=True)
    assert f"/staff/accounts/claims/{pending.id}" in listing and "03-3283-7501" in listing
    detail = client.get(f"/staff/accounts/claims/{pending.id}").get_data(as_text=True)
    assert "03-3283-7500" in detail  # what the roster holds, to compare
    response = client.post(f"/staff/accounts/claims/{pending.id}/approve", data={"note": ""})
    assert response.status_code == 302
    db.session.expire_all()
    person = db.session.get(User, guest.id)
    assert person.role == "member" and person.company_id == company.id
    change = db.session.scalar(select(AccountChange).where(AccountChange.user_id == guest.id))
    assert change.actor_id == staff.id
    claim_row = db.session.get(MembershipClaim, pending.id)
    assert claim_row.outcome == "approved" and claim_row.decided_by_id == staff.id
    assert [m["Subject"] for m in sent_mail() if m["To"] == guest.email] == [
        "【東京商工会議所】会員として確認しました"
    ]
    # Decided once: a second decision is refused.
    again = client.post(f"/staff/accounts/claims/{pending.id}/refuse", data={"note": "x"})
    assert again.status_code == 422 and "既に判断されています" in again.get_data(as_text=True)


def test_staff_refuse_with_a_note_the_person_reads(guest_client, guest, company, make_user, client, sent_mail):  # fmt: skip
    claim(guest_client, fact="03-3283-7501")
    [pending] = claims_of(guest)
    client.post("/account/logout")
    login(client, make_user("staff"))
    no_note = client.post(f"/staff/accounts/claims/{pending.id}/refuse", data={"note": " "})
    assert no_note.status_code == 422 and "理由" in no_note.get_data(as_text=True)
    note = "名簿の電話番号と一致しませんでした。会社のご担当者にご確認ください。"
    assert client.post(f"/staff/accounts/claims/{pending.id}/refuse", data={"note": note}).status_code == 302  # fmt: skip
    db.session.expire_all()
    assert db.session.get(User, guest.id).role == "guest"
    [mail] = [m for m in sent_mail() if m["To"] == guest.email]
    assert mail["Subject"] == "【東京商工会議所】会員確認の申請について"
    assert note in mail.get_body(("plain",)).get_content()


def test_claims_are_staff_only(guest_client, guest, company, make_user, client):
    claim(guest_client, fact="03-3283-7501")
    [pending] = claims_of(guest)
    for path in ("/staff/accounts/claims/", f"/staff/accounts/claims/{pending.id}"):
        assert guest_client.get(path).status_code == 404
    assert guest_client.post(f"/staff/accounts/claims/{pending.id}/approve").status_code == 404
    client.post("/account/logout")
    login(client, make_user("member"))
    assert client.get(f"/staff/accounts/claims/{pending.id}").status_code == 404
    client.post("/account/logout")
    login(client, make_user("staff"))
    assert client.get(f"/staff/accounts/claims/{pending.id}").status_code == 200
    assert client.get("/staff/accounts/claims/999999").status_code == 404


def test_a_member_without_a_company_is_not_a_verified_member(make_user):
    unverified = make_user("guest")
    unverified.role = "member"
    db.session.commit()
    assert not unverified.is_member


def _member_event(make_event):
    return make_event(frames=[
        dict(name="会員", capacity=10, audience="members", price_label="会員 3,000円（税込）"),
        dict(name="一般", capacity=10, audience="guests", price_label="一般 5,000円（税込）"),
    ])  # fmt: skip


def test_a_guest_sees_the_member_price_but_cannot_take_the_member_frame(guest_client, make_event):
    event = _member_event(make_event)
    member_frame = event.frames[0]
    page = guest_client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "3,000円" in page and "会員の方は会員番号で確認できます" in page
    form = guest_client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert "3,000円" in form and f'value="{member_frame.id}"' not in form
    assert f"/account/membership?next=/events/{event.id}/register" in form
    response = guest_client.post(
        f"/events/{event.id}/register", data={"frame": str(member_frame.id), "confirmed": "1"}
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(MembershipClaim)) == 0


def test_after_the_claim_the_guest_registers_in_the_member_frame(guest_client, guest, company, make_event):  # fmt: skip
    event = _member_event(make_event)
    member_frame = event.frames[0]
    claim(guest_client, next=f"/events/{event.id}/register")
    form = guest_client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert f'value="{member_frame.id}"' in form and "会員の方は会員番号で確認できます" not in form
    response = guest_client.post(
        f"/events/{event.id}/register", data={"frame": str(member_frame.id), "confirmed": "1"}
    )
    assert response.status_code == 302 and "done=1" in response.location


def test_a_member_only_event_opens_after_the_claim(guest_client, guest, company, make_event):
    event = make_event(member_only=True)
    assert guest_client.get(f"/events/{event.id}").status_code == 404
    claim(guest_client)
    assert guest_client.get(f"/events/{event.id}").status_code == 200
