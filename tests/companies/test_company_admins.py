"""Company administrators: who they are, what they see of their company, and nothing else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from booking.companies.admins import admin_ids, appoint_admin
from booking.companies.models import CompanyAdmin
from booking.companies.policy import is_company_admin
from booking.errors import NotFound
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import login


def test_staff_appoint_and_remove_an_administrator_on_the_company_page(staff_client, make_user):
    person = make_user("member")
    page = staff_client.get(f"/staff/accounts/companies/{person.company_id}")
    assert "会社の担当者" in page.get_data(as_text=True)
    response = staff_client.post(
        f"/staff/accounts/companies/{person.company_id}/admins/{person.id}"
    )
    assert response.status_code == 302
    assert is_company_admin(person)
    staff_client.post(f"/staff/accounts/companies/{person.company_id}/admins/{person.id}/remove")
    assert not is_company_admin(person)
    history = staff_client.get(f"/staff/accounts/people/{person.id}").get_data(as_text=True)
    assert history.count("会社の担当者") >= 2


def test_a_person_of_another_company_cannot_be_appointed_through_the_wrong_company(
    staff_client, make_user
):
    person, other = make_user("member"), make_user("member")
    response = staff_client.post(f"/staff/accounts/companies/{other.company_id}/admins/{person.id}")
    assert response.status_code == 404


def test_an_administrator_names_a_colleague_administrator_too(admin_client, company_people):
    admin, colleague, _ = company_people
    response = admin_client.post(f"/mypage/company/people/{colleague.id}/admin")
    assert response.status_code == 302
    assert admin_ids(admin.company_id) == {admin.id, colleague.id}


def test_an_administrator_cannot_appoint_someone_of_another_company(
    admin_client, company_people, make_user
):
    stranger = make_user("member")
    assert admin_client.post(f"/mypage/company/people/{stranger.id}/admin").status_code == 404
    with pytest.raises(NotFound):
        appoint_admin(stranger, company_people[0], now_utc())
    assert db.session.get(CompanyAdmin, stranger.id) is None


def test_the_company_pages_are_404_for_members_who_are_not_administrators(client, company_people):
    login(client, company_people[1])
    for path in ("/mypage/company/people", "/mypage/company/invite"):
        assert client.get(path).status_code == 404
    assert "会社のメンバーと申込状況" not in client.get("/mypage/company").get_data(as_text=True)


def test_the_people_page_shows_colleagues_bookings_and_the_no_show_record(
    admin_client, company_people, make_event
):
    _admin, hanako, jiro = company_people
    seminar = make_event(title="販路開拓セミナー")
    register_for_frame(hanako, seminar.id, seminar.frames[0].id, {}, now_utc())
    past = make_event(title="昨年の交流会", starts_at=now_utc() - timedelta(days=30))
    db.session.commit()
    # A no-show: registered a month ago for the venue, the event over, never checked in.
    register_for_frame(jiro, past.id, past.frames[0].id, {}, now_utc() - timedelta(days=31))
    db.session.commit()
    html = admin_client.get("/mypage/company/people").get_data(as_text=True)
    assert "鈴木 花子" in html and "佐藤 次郎" in html
    assert "販路開拓セミナー" in html
    assert "無断欠席 1件" in html
    assert "このお席を同僚に譲る" in html


def test_a_colleagues_consultation_shows_only_that_it_exists_and_when(admin_client, company_people):
    from booking.companies.roster import ConsultationTime, company_view

    view = company_view(company_people[0].company, now_utc())
    # What the page receives about consultations carries no theme, topic or record at all.
    assert set(ConsultationTime.__dataclass_fields__) == {"person", "starts_at", "ends_at",
                                                           "status"}  # fmt: skip
    assert all(isinstance(r, ConsultationTime) for c in view.colleagues for r in c.consultations)


def test_an_administrator_sees_no_other_companys_registration(admin_client, make_user, make_event):
    stranger = make_user("member")
    event = make_event()
    reg = register_for_frame(stranger, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    assert admin_client.get(f"/mypage/company/registrations/{reg.id}/hand-over").status_code == 404
    page = admin_client.get("/mypage/company/people").get_data(as_text=True)
    assert stranger.full_name not in page


def test_admins_of_one_company_are_only_its_own(company_people):
    admin = company_people[0]
    rows = db.session.scalars(select(CompanyAdmin)).all()
    assert [(r.user_id, r.company_id) for r in rows] == [(admin.id, admin.company_id)]
