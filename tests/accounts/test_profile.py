from booking.extensions import db


def test_profile_edit_normalises_and_saves(member_client, member):
    response = member_client.post(
        "/mypage/profile",
        data={"family_name": "山田", "given_name": "次郎", "family_kana": "やまだ",
              "given_kana": "じろう", "phone": "０９０－１２３４－５６７８", "locale": "en"},
    )  # fmt: skip
    assert response.status_code == 302
    db.session.refresh(member)
    assert (member.given_name, member.given_kana, member.phone, member.locale) == (
        "次郎", "ジロウ", "090-1234-5678", "en",
    )  # fmt: skip


def test_a_bad_profile_keeps_what_was_saved(member_client, member):
    response = member_client.post(
        "/mypage/profile",
        data={"family_name": "", "given_name": "次郎", "family_kana": "yamada",
              "given_kana": "ジロウ", "phone": "", "locale": "ja"},
    )  # fmt: skip
    assert response.status_code == 422
    db.session.refresh(member)
    assert member.family_name == "山田"


def test_my_page_needs_sign_in(client):
    response = client.get("/mypage/")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_a_member_sets_the_companys_interests(member_client, member):
    response = member_client.post("/mypage/company", data={"interests": ["ict", "trade"]})
    assert response.status_code == 302
    assert sorted(u.slug for u in member.company.interests) == ["ict", "trade"]
    html = member_client.get("/mypage/company").get_data(as_text=True)
    assert 'value="ict" checked' in html or 'checked id="interests-' in html


def test_an_unknown_interest_is_refused_and_nothing_changes(member_client, member):
    response = member_client.post("/mypage/company", data={"interests": ["ict", "nope"]})
    assert response.status_code == 422
    assert member.company.interests == []


def test_a_guest_without_company_has_no_company_page(client, make_user):
    from tests.conftest import login

    login(client, make_user("guest"))
    assert client.get("/mypage/company").status_code == 404
