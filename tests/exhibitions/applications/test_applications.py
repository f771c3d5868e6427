"""Exhibitor applications, the applicant's side: apply, refusals, the status page, withdrawal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from booking.errors import Conflict, Invalid
from booking.exhibitions.applications.services import (
    apply_for_exhibition,
    window_state,
    withdraw_application,
)
from booking.exhibitions.models import Booth, Exhibitor
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import login
from tests.exhibitions.application_helpers import (
    application_input,
    form_data,
    open_window,
    section,
)


def _application(fair, company_id) -> Exhibitor | None:
    return (
        db.session.query(Exhibitor).filter_by(exhibition_id=fair.id, company_id=company_id).first()
    )


def test_member_applies_and_sees_the_application(make_fair, member, member_client):
    fair = make_fair()
    open_window(fair)
    form = member_client.get(f"/exhibitions/{fair.id}/apply")
    assert form.status_code == 200
    assert member.email in form.text  # the applicant is the contact person to begin with
    data = form_data(categories=[str(section().id), str(section("trade").id)])
    answer = member_client.post(f"/exhibitions/{fair.id}/apply", data=data)
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/exhibitions/{fair.id}/application")
    app_row = _application(fair, member.company_id)
    assert app_row.status == "applied" and app_row.applicant_id == member.id
    assert {u.slug for u in app_row.categories} == {"industry", "trade"}
    assert app_row.participation == "both" and app_row.booth_size_wish == "standard"
    # Furigana typed in hiragana and half-width katakana is kept as full-width katakana.
    assert app_row.contact_kana == "サトウ ハナコ"
    assert app_row.contact_email == "hanako@example.jp"
    assert app_row.contact_phone == "03-1111-2222"
    page = member_client.get(f"/exhibitions/{fair.id}/application")
    assert "審査中" in page.text and "精密加工部品" in page.text and "サトウ" in page.text


def test_bad_input_is_shown_next_to_the_field_and_kept(make_fair, member_client):
    fair = make_fair()
    open_window(fair)
    data = form_data(categories=[], contact_kana="Sato", products="鋳物の展示")
    answer = member_client.post(f"/exhibitions/{fair.id}/apply", data=data)
    assert answer.status_code == 422
    assert "フリガナはひらがなかカタカナで入力してください。" in answer.text
    assert 'id="categories-error"' in answer.text
    assert "鋳物の展示" in answer.text
    assert db.session.query(Exhibitor).count() == 0


def test_a_category_must_be_a_chamber_section(make_fair, member):
    fair = make_fair()
    open_window(fair)
    branch = db.session.query(type(section())).filter_by(kind="branch").first()
    with pytest.raises(Invalid) as refused:
        apply_for_exhibition(
            fair.exhibition, member, application_input(category_ids=[branch.id]), now_utc()
        )
    assert refused.value.field == "categories"


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (timedelta(days=2), timedelta(days=9), "出展申込の受付は"),
        (timedelta(days=-9), timedelta(days=-1), "出展申込の受付は終了しました。"),
        (None, None, "出展申込の受付はまだ始まっていません。"),
    ],
)
def test_outside_the_window_applying_is_refused(make_fair, member_client, opens, closes, message):
    fair = make_fair()
    now = now_utc()
    fair.exhibition.applications_open_at = now + opens if opens is not None else None
    fair.exhibition.applications_close_at = now + closes if closes is not None else None
    db.session.commit()
    page = member_client.get(f"/exhibitions/{fair.id}/apply")
    assert page.status_code == 403 and message in page.text
    posted = member_client.post(f"/exhibitions/{fair.id}/apply", data=form_data())
    assert posted.status_code == 403
    assert db.session.query(Exhibitor).count() == 0


def test_a_guest_without_a_company_is_refused(make_fair, client, make_user):
    fair = make_fair()
    open_window(fair)
    login(client, make_user("guest"))
    page = client.post(f"/exhibitions/{fair.id}/apply", data=form_data())
    assert page.status_code == 403
    assert "会員企業のアカウントでのログインが必要です" in page.text
    assert db.session.query(Exhibitor).count() == 0


def test_signed_out_visitors_are_sent_to_sign_in(make_fair, client):
    fair = make_fair()
    open_window(fair)
    answer = client.get(f"/exhibitions/{fair.id}/apply")
    assert answer.status_code == 302 and "/account/login" in answer.headers["Location"]


def test_a_second_application_of_a_company_is_refused_with_a_link(
    make_fair, member, member_client, make_user
):
    fair = make_fair()
    open_window(fair)
    assert member_client.post(f"/exhibitions/{fair.id}/apply", data=form_data()).status_code == 302
    colleague = make_user("member", company=member.company)
    login(member_client, colleague)
    again = member_client.get(f"/exhibitions/{fair.id}/apply")
    assert again.status_code == 409
    assert "この展示会にはすでに申し込まれています。" in again.text
    assert f'href="/exhibitions/{fair.id}/application"' in again.text
    assert member_client.post(f"/exhibitions/{fair.id}/apply", data=form_data()).status_code == 409
    assert db.session.query(Exhibitor).count() == 1


def test_the_service_refuses_a_second_application_too(make_fair, member):
    fair = make_fair()
    open_window(fair)
    apply_for_exhibition(fair.exhibition, member, application_input(), now_utc())
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        apply_for_exhibition(fair.exhibition, member, application_input(), now_utc())
    assert refused.value.code == "already_applied"


def test_another_company_has_no_application_page(make_fair, make_exhibitor, member_client):
    fair = make_fair()
    make_exhibitor(fair, status="applied")
    assert member_client.get(f"/exhibitions/{fair.id}/application").status_code == 404
    assert member_client.get(f"/exhibitions/{fair.id}/application/withdraw").status_code == 404


def test_the_applicant_withdraws_after_a_confirmation(make_fair, make_exhibitor, client):
    fair = make_fair()
    exhibitor, user = make_exhibitor(fair, status="applied")
    login(client, user)
    confirm = client.get(f"/exhibitions/{fair.id}/application/withdraw")
    assert confirm.status_code == 200 and "取り下げる" in confirm.text
    assert client.post(f"/exhibitions/{fair.id}/application/withdraw").status_code == 302
    db.session.refresh(exhibitor)
    assert exhibitor.status == "withdrawn"
    assert client.post(f"/exhibitions/{fair.id}/application/withdraw").status_code == 303
    assert (
        "この申込は取り下げられません。" in client.get(f"/exhibitions/{fair.id}/application").text
    )


def test_withdrawing_after_acceptance_frees_the_booths(make_fair, make_exhibitor, member):
    fair = make_fair()
    exhibitor, user = make_exhibitor(fair, status="accepted")
    booth = db.session.query(Booth).filter_by(exhibition_id=fair.id, code="A-01").one()
    booth.exhibitor_id = exhibitor.id
    db.session.commit()
    withdraw_application(exhibitor, user, now_utc())
    db.session.commit()
    db.session.refresh(booth)
    assert exhibitor.status == "withdrawn" and booth.exhibitor_id is None


def test_a_withdrawn_application_can_be_renewed(make_fair, make_exhibitor):
    fair = make_fair()
    open_window(fair)
    exhibitor, user = make_exhibitor(fair, status="withdrawn")
    renewed = apply_for_exhibition(
        fair.exhibition, user, application_input(products="新製品"), now_utc()
    )
    db.session.commit()
    assert renewed.id == exhibitor.id and renewed.status == "applied"
    assert renewed.products == "新製品" and renewed.sequence == 1


def test_my_page_lists_the_companys_applications(make_fair, make_exhibitor, client, member_client):
    fair = make_fair()
    assert "展示会への出展申込" not in member_client.get("/mypage/").text
    _exhibitor, user = make_exhibitor(fair, status="accepted")
    login(client, user)
    page = client.get("/mypage/")
    assert "展示会への出展申込" in page.text and "出展決定" in page.text
    assert f"/exhibitions/{fair.id}/application" in page.text


def test_the_window_opens_at_its_start_and_closes_at_its_end(make_fair):
    fair = make_fair()
    opens = now_utc() + timedelta(days=1)
    fair.exhibition.applications_open_at = opens
    fair.exhibition.applications_close_at = opens + timedelta(days=10)
    tick = timedelta(microseconds=1)
    assert window_state(fair.exhibition, opens - tick) == "not_open"
    assert window_state(fair.exhibition, opens) == "open"
    assert window_state(fair.exhibition, opens + timedelta(days=10) - tick) == "open"
    assert window_state(fair.exhibition, opens + timedelta(days=10)) == "closed"
    fair.exhibition.applications_close_at = None  # open until staff close it
    assert window_state(fair.exhibition, opens + timedelta(days=400)) == "open"


def test_staff_without_a_company_are_pointed_to_recording_an_application(make_fair, staff_client):
    fair = make_fair()
    open_window(fair)
    page = staff_client.get(f"/exhibitions/{fair.id}/apply")
    assert page.status_code == 403
    assert f"/staff/exhibitions/{fair.id}/applications/new" in page.text


def test_a_cancelled_exhibition_takes_no_applications(make_fair, member_client):
    fair = make_fair(status="cancelled")
    open_window(fair)
    page = member_client.get(f"/exhibitions/{fair.id}/apply")
    assert page.status_code == 403 and "この展示会は中止になりました。" in page.text
