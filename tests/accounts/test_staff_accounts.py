"""The staff account pages (/staff/accounts): search, a person's and a company's page, role
and unit, deactivation, the account mail again, and who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from booking.accounts.models import AccountChange, Company, User
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.notifications.models import OutboxMessage
from booking.org.services import unit_by_key
from booking.timefmt import now_utc
from tests.conftest import login


@pytest.fixture
def admin(make_user):
    return make_user("admin", email="admin@example.jp")


@pytest.fixture
def hanako(make_user):
    company = Company(name="株式会社つなぐ商事", name_kana="ツナグショウジ", member_no="12345")
    db.session.add(company)
    return make_user("member", email="hanako@example.jp", company=company, family_name="佐藤",
                     given_name="花子", family_kana="サトウ", given_kana="ハナコ")  # fmt: skip


# --- Search --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    ["さとう", "サトウ", "ｻﾄｳ", "佐藤 花子", "佐藤花子", "つなぐ", "ﾂﾅｸﾞ", "１２３４５", "12345",
     "HANAKO@EXAMPLE.JP", "ｈａｎａｋｏ", "つなぐ商事 花子"],
)  # fmt: skip
def test_staff_find_a_person_by_name_furigana_company_member_no_or_email(
    staff_client, hanako, make_user, q
):
    make_user("member", family_name="鈴木", family_kana="スズキ")
    html = staff_client.get("/staff/accounts/", query_string={"q": q}).get_data(as_text=True)
    assert "佐藤 花子" in html and "（サトウ ハナコ）" in html
    assert "鈴木" not in html


def test_search_pages_people_twenty_at_a_time(staff_client, make_user):
    for _ in range(25):
        make_user("guest", family_name="田中", family_kana="タナカ")
    first = staff_client.get("/staff/accounts/?q=たなか").get_data(as_text=True)
    assert first.count('class="result-name"') == 20 and "1 / 2" in first
    second = staff_client.get("/staff/accounts/?q=たなか&page=2").get_data(as_text=True)
    assert second.count('class="result-name"') == 5
    beyond = staff_client.get("/staff/accounts/?q=たなか&page=99")
    assert beyond.status_code == 200


def test_search_finds_companies_with_their_furigana(staff_client, hanako):
    html = staff_client.get("/staff/accounts/?q=ツナグ&kind=companies").get_data(as_text=True)
    assert "株式会社つなぐ商事" in html and "（ツナグショウジ）" in html
    assert "会員番号 12345" in html


def test_a_search_with_like_wildcards_matches_them_literally(staff_client, hanako):
    html = staff_client.get("/staff/accounts/?q=%25").get_data(as_text=True)
    assert "佐藤 花子" not in html


# --- Who sees what --------------------------------------------------------------------------


def test_account_pages_answer_404_to_anyone_but_staff(client, make_user, hanako):
    pages = ["/staff/accounts/", f"/staff/accounts/people/{hanako.id}",
             f"/staff/accounts/companies/{hanako.company_id}"]  # fmt: skip
    for role in ("member", "guest", "advisor"):
        user = make_user(role)
        client.post("/account/logout")
        login(client, user)
        for page in pages:
            assert client.get(page).status_code == 404, (role, page)
        response = client.post(f"/staff/accounts/people/{hanako.id}/deactivate")
        assert response.status_code == 404
    db.session.refresh(hanako)
    assert hanako.active


def test_unknown_person_or_company_is_404(staff_client):
    assert staff_client.get("/staff/accounts/people/999999").status_code == 404
    assert staff_client.get("/staff/accounts/companies/999999").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, hanako):
    assert client.get("/staff/accounts/").status_code == 302


def test_the_dashboard_links_the_account_search(staff_client):
    html = staff_client.get("/staff/").get_data(as_text=True)
    assert 'href="/staff/accounts/"' in html and 'action="/staff/accounts/"' in html


# --- A person's and a company's page ---------------------------------------------------------


def test_a_persons_page_shows_bookings_and_no_shows(staff_client, hanako, make_event, clock):
    past = make_event(days=-3, title="過去の交流会")
    coming = make_event(days=5, title="これからのセミナー")
    clock.move_to(now_utc() - timedelta(days=5))
    register_for_frame(hanako, past.id, past.frames[0].id, {}, now_utc(), attestation=True)
    clock.reset()
    register_for_frame(hanako, coming.id, coming.frames[0].id, {}, now_utc(), attestation=True)
    db.session.commit()
    html = staff_client.get(f"/staff/accounts/people/{hanako.id}").get_data(as_text=True)
    assert "過去の交流会" in html and "これからのセミナー" in html
    assert html.count("無断欠席</span>") == 1  # the past event, never checked in
    assert 'イベントの無断欠席</dt><dd class="num">1件' in html
    company = staff_client.get(f"/staff/accounts/companies/{hanako.company_id}")
    text = company.get_data(as_text=True)
    assert "佐藤 花子" in text and "（サトウ ハナコ）" in text and "過去の交流会" in text
    assert 'イベントの無断欠席</dt><dd class="num">1件' in text


def test_a_persons_page_links_booking_a_consultation_for_them(staff_client, hanako):
    html = staff_client.get(f"/staff/accounts/people/{hanako.id}").get_data(as_text=True)
    assert f'href="/consultations/desk/book?member={hanako.id}"' in html


# --- Role and unit: admins only ---------------------------------------------------------------


def test_an_admin_assigns_a_staff_member_to_a_branch(as_user, admin, make_user):
    person = make_user("member")
    chiyoda = unit_by_key("branch:chiyoda")
    client = as_user(admin)
    response = client.post(f"/staff/accounts/people/{person.id}/role",
                           data={"role": "staff", "unit": str(chiyoda.id)})  # fmt: skip
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.role == "staff" and person.unit_id == chiyoda.id
    changes = db.session.scalars(select(AccountChange).where(AccountChange.user_id == person.id))
    assert {(c.kind, c.before, c.after, c.actor_id) for c in changes} == {
        ("role", "member", "staff", admin.id), ("unit", "", "branch:chiyoda", admin.id),
    }  # fmt: skip
    html = client.get(f"/staff/accounts/people/{person.id}").get_data(as_text=True)
    assert "権限の変更" in html and "所属の変更" in html and "千代田" in html


def test_staff_without_a_unit_is_refused_with_the_reason(as_user, admin, make_user):
    person = make_user("member")
    client = as_user(admin)
    response = client.post(f"/staff/accounts/people/{person.id}/role",
                           data={"role": "staff", "unit": ""})  # fmt: skip
    assert response.status_code == 422
    assert "所属を選んでください" in response.get_data(as_text=True)
    db.session.refresh(person)
    assert person.role == "member"
    assert db.session.scalar(select(AccountChange.id)) is None


def test_an_unknown_role_or_unit_is_a_field_error(as_user, admin, make_user):
    person = make_user("member")
    client = as_user(admin)
    for data in ({"role": "root", "unit": ""}, {"role": "member", "unit": "99999999999"}):
        assert client.post(f"/staff/accounts/people/{person.id}/role", data=data).status_code == 422


def test_an_admin_cannot_change_their_own_role(as_user, admin):
    client = as_user(admin)
    hq = unit_by_key("hq")
    response = client.post(f"/staff/accounts/people/{admin.id}/role",
                           data={"role": "member", "unit": str(hq.id)})  # fmt: skip
    assert response.status_code == 422
    assert "ご自身の権限は変更できません" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_staff_cannot_change_roles(staff_client, hanako):
    page = staff_client.get(f"/staff/accounts/people/{hanako.id}").get_data(as_text=True)
    assert "/role" not in page and "管理者が行います" in page
    response = staff_client.post(f"/staff/accounts/people/{hanako.id}/role",
                                 data={"role": "admin", "unit": ""})  # fmt: skip
    assert response.status_code == 403
    db.session.refresh(hanako)
    assert hanako.role == "member"


# --- Deactivation ------------------------------------------------------------------------------


def test_a_deactivated_account_cannot_sign_in_and_its_session_ends(app, as_user, staff, hanako):
    other = app.test_client()
    assert login(other, hanako).status_code == 302
    client = as_user(staff)
    assert client.post(f"/staff/accounts/people/{hanako.id}/deactivate").status_code == 302
    html = client.get(f"/staff/accounts/people/{hanako.id}").get_data(as_text=True)
    assert "このアカウントは停止されています。ログインできません。" in html
    assert "アカウント停止" in html  # the change history
    assert other.get("/mypage/").status_code == 302  # signed out
    assert login(app.test_client(), hanako).status_code == 401
    assert client.post(f"/staff/accounts/people/{hanako.id}/reactivate").status_code == 302
    assert login(app.test_client(), hanako).status_code == 302


def test_deactivating_twice_is_refused_with_a_message(staff_client, hanako):
    staff_client.post(f"/staff/accounts/people/{hanako.id}/deactivate")
    response = staff_client.post(f"/staff/accounts/people/{hanako.id}/deactivate")
    assert response.status_code == 422
    assert "既に停止" in response.get_data(as_text=True)


def test_branch_staff_deactivate_members_but_not_staff_nor_themselves(as_user, make_user, hanako):
    branch_staff = make_user("staff", unit_key="branch:chiyoda")
    colleague = make_user("staff")
    client = as_user(branch_staff)
    assert client.post(f"/staff/accounts/people/{hanako.id}/deactivate").status_code == 302
    for person in (colleague, branch_staff):
        page = client.get(f"/staff/accounts/people/{person.id}").get_data(as_text=True)
        assert "/deactivate" not in page
        response = client.post(f"/staff/accounts/people/{person.id}/deactivate")
        assert response.status_code == 403
        db.session.refresh(person)
        assert person.active


def test_an_admin_deactivates_a_staff_account(as_user, admin, staff):
    client = as_user(admin)
    assert client.post(f"/staff/accounts/people/{staff.id}/deactivate").status_code == 302
    db.session.refresh(staff)
    assert not staff.active


# --- The account mail again ---------------------------------------------------------------------


def test_staff_resend_the_confirmation_mail_through_the_outbox(staff_client, client):
    client.post("/account/signup", data={
        "email": "new@example.jp", "password": "correct-horse-1", "password_again": "correct-horse-1",
        "family_name": "新規", "given_name": "一郎", "family_kana": "しんき", "given_kana": "いちろう",
        "phone": "03-1234-5678", "privacy": "y",
    })  # fmt: skip
    person = db.session.scalar(select(User).where(User.email == "new@example.jp"))
    assert person is not None and person.email_confirmed_at is None  # signed up, unconfirmed
    before = db.session.scalar(select(db.func.count(OutboxMessage.id)))
    page = staff_client.get(f"/staff/accounts/people/{person.id}").get_data(as_text=True)
    assert "確認メールを再送する" in page
    response = staff_client.post(f"/staff/accounts/people/{person.id}/resend")
    assert response.status_code == 302
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert len(mails) == before + 1
    assert mails[-1].recipient == "new@example.jp" and mails[-1].template == "account_confirm"


def test_an_invitation_goes_to_an_account_without_a_password(staff_client, make_user):
    person = make_user("member", password="")
    response = staff_client.post(f"/staff/accounts/people/{person.id}/resend")
    assert response.status_code == 302
    mail = db.session.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()))
    assert mail.recipient == person.email and mail.template == "account_reset"


def test_nothing_to_resend_to_a_confirmed_account_with_a_password(staff_client, hanako):
    page = staff_client.get(f"/staff/accounts/people/{hanako.id}").get_data(as_text=True)
    assert "再送する" not in page
    response = staff_client.post(f"/staff/accounts/people/{hanako.id}/resend")
    assert response.status_code == 422
    assert db.session.scalar(select(OutboxMessage.id)) is None


def test_an_empty_search_lists_everyone_in_furigana_order(staff_client, hanako, make_user):
    make_user("guest", family_name="安藤", family_kana="アンドウ")
    html = staff_client.get("/staff/accounts/").get_data(as_text=True)
    assert html.index("安藤") < html.index("佐藤 花子")
    companies = staff_client.get("/staff/accounts/?kind=companies").get_data(as_text=True)
    assert "株式会社つなぐ商事" in companies
