"""Support cases (伴走支援): opened from a consultation's record, joined by the company's next
consultation on the theme, seen by its advisors and branch staff only, counted by fiscal year."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from booking.consultations.case_report import fiscal_year_bounds, fiscal_year_of
from booking.consultations.catalogue import theme_by_slug
from booking.consultations.models import SupportCase
from booking.consultations.slots import free_slots
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import login
from tests.consultations.conftest import jst


def _slot(advisor, days=3, theme="management", channel="branch"):
    now = now_utc()
    return free_slots(theme_by_slug(theme), now + timedelta(days=days),
                      now + timedelta(days=days + 10), now, advisor_id=advisor.id,
                      channel_slug=channel)[0]  # fmt: skip


@pytest.fixture
def advisor(make_advisor):
    return make_advisor(branches=("chiyoda",))


@pytest.fixture
def consult(member, advisor, book):
    """`consult(days)`: a counter consultation of the member's company at 千代田."""

    def factory(days=3, who=None, theme="management"):
        return book(who or member, _slot(advisor, days, theme).start, advisor, theme=theme,
                    channel="branch", now=now_utc())  # fmt: skip

    return factory


def _open(client, consultation, case="new"):
    return client.post(f"/consultations/desk/cases/from/{consultation.id}", data={"case": case})


def test_the_advisor_opens_a_case_and_the_next_consultation_joins_it(client, advisor, consult):
    first, second = consult(3), consult(10)
    login(client, advisor.user)
    page = client.get(f"/consultations/{first.id}").get_data(as_text=True)
    assert "支援案件を始める" in page
    response = _open(client, first)
    assert response.status_code == 302
    case = db.session.scalar(select(SupportCase))
    assert case.status == "open" and case.company_id == first.company_id
    assert case.branch.slug == "chiyoda"
    page = client.get(f"/consultations/{second.id}").get_data(as_text=True)
    assert f"S-{case.id:05d}" in page and "に追加" in page
    assert _open(client, second, case=str(case.id)).status_code == 302
    db.session.expire_all()
    assert [c.id for c in case.consultations] == [first.id, second.id]
    page = client.get(f"/consultations/desk/cases/{case.id}").get_data(as_text=True)
    assert first.topic in page and "この案件の相談" in page


def test_a_consultation_belongs_to_one_case_only(client, advisor, consult):
    first = consult()
    login(client, advisor.user)
    _open(client, first)
    response = _open(client, first)
    assert response.status_code == 302
    assert len(db.session.scalars(select(SupportCase)).all()) == 1
    page = client.get(response.location).get_data(as_text=True)
    assert "すでに支援案件に含まれています" in page


def test_another_companys_case_cannot_be_joined(client, advisor, consult, make_user):
    mine = consult(3)
    theirs = consult(10, who=make_user("member"))
    login(client, advisor.user)
    _open(client, mine)
    case = db.session.scalar(select(SupportCase))
    assert _open(client, theirs, case=str(case.id)).status_code == 404
    assert _open(client, theirs, case="garbage").status_code == 404
    db.session.expire_all()
    assert len(case.consultations) == 1


def test_status_outcome_and_notes_are_saved(client, advisor, consult, clock):
    first = consult()
    login(client, advisor.user)
    _open(client, first)
    case = db.session.scalar(select(SupportCase))
    response = client.post(
        f"/consultations/desk/cases/{case.id}",
        data={"status": "closed", "outcome": "resolved", "note": "事業承継計画を策定"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (case.status, case.outcome, case.note) == ("closed", "resolved", "事業承継計画を策定")
    assert case.closed_at is not None
    bad = client.post(f"/consultations/desk/cases/{case.id}", data={"status": "lost"})
    assert bad.status_code == 422


def test_members_other_branches_and_other_advisors_get_404(
    client, advisor, consult, member, make_user, make_advisor
):
    first = consult()
    login(client, advisor.user)
    _open(client, first)
    case = db.session.scalar(select(SupportCase))
    client.post("/account/logout")
    url = f"/consultations/desk/cases/{case.id}"
    for outsider in (member, make_user("staff", unit_key="branch:minato"),
                     make_advisor(branches=("minato",)).user):  # fmt: skip
        login(client, outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, data={"status": "closed", "outcome": ""}).status_code == 404
        page = client.get(f"/consultations/{first.id}")
        assert "伴走支援" not in page.get_data(as_text=True) or page.status_code == 404
        client.post("/account/logout")
    # The member's own consultation page never shows the case or its notes.
    login(client, member)
    page = client.get(f"/consultations/{first.id}").get_data(as_text=True)
    assert "S-" not in page and "支援案件" not in page
    client.post("/account/logout")
    login(client, make_user("staff", unit_key="branch:chiyoda"))
    assert client.get(url).status_code == 200
    assert f"S-{case.id:05d}" in client.get("/consultations/desk/cases/").get_data(as_text=True)


def test_a_member_cannot_open_a_case(client, consult, member):
    first = consult()
    login(client, member)
    assert _open(client, first).status_code == 404
    assert db.session.scalar(select(SupportCase)) is None


def test_the_fiscal_year_runs_april_to_march():
    assert fiscal_year_of(date(2026, 4, 1)) == 2026
    assert fiscal_year_of(date(2027, 3, 31)) == 2026
    assert fiscal_year_of(date(2026, 3, 31)) == 2025
    start, end = fiscal_year_bounds(2026)
    assert start == jst(2026, 4, 1) and end == jst(2027, 4, 1)


def _case(consultation, advisor, opened, outcome="", status="open"):
    from booking.consultations.cases import attach_to_case

    case = attach_to_case(consultation, advisor.user, None, opened)
    case.outcome, case.status = outcome, status
    db.session.commit()
    return case


def test_the_report_counts_cases_by_theme_branch_and_outcome_for_the_fiscal_year(
    client, make_user, advisor, consult
):
    a, b, c, d = consult(3), consult(5), consult(7), consult(9)
    _case(a, advisor, jst(2026, 4, 1, 0, 0), "resolved", "closed")  # first instant of FY2026
    _case(b, advisor, jst(2027, 3, 31, 23, 59), "partly")  # last minute of FY2026
    _case(c, advisor, jst(2026, 3, 31, 23, 59), "resolved")  # FY2025
    _case(d, advisor, jst(2026, 6, 1, 9), "")
    login(client, make_user("staff", unit_key="branch:chiyoda"))
    page = client.get("/consultations/desk/cases/report?year=2026").get_data(as_text=True)
    assert "合計 3件" in page and "2026年度" in page
    csv = client.get("/consultations/desk/cases/report.csv?year=2026")
    assert csv.data.startswith(b"\xef\xbb\xbf")
    rows = [line.split(",") for line in csv.data.decode("utf-8-sig").splitlines()]
    assert rows[0] == ["テーマ", "担当支部", "件数", "未記入", "課題解決", "一部解決", "未解決"]
    assert rows[1] == ["経営相談", "千代田支部", "3", "1", "1", "1", "0"]
    earlier = client.get("/consultations/desk/cases/report.csv?year=2025").data
    assert earlier.decode("utf-8-sig").splitlines()[1].split(",")[2] == "1"


def test_branch_staff_count_only_their_branch(client, make_user, advisor, consult):
    _case(consult(3), advisor, jst(2026, 6, 1, 9))
    login(client, make_user("staff", unit_key="branch:minato"))
    page = client.get("/consultations/desk/cases/report?year=2026").get_data(as_text=True)
    assert "合計 0件" in page
    client.post("/account/logout")
    login(client, make_user("staff"))  # HQ oversees every branch
    page = client.get("/consultations/desk/cases/report?year=2026").get_data(as_text=True)
    assert "合計 1件" in page


def test_the_report_is_for_staff_only_and_odd_years_fall_back(client, advisor, make_user):
    login(client, advisor.user)
    assert client.get("/consultations/desk/cases/report").status_code == 404
    client.post("/account/logout")
    login(client, make_user("staff"))
    for year in ("abc", "1900", "99999", "-1"):
        response = client.get(f"/consultations/desk/cases/report?year={year}")
        assert response.status_code == 200 and "2026年度" in response.get_data(as_text=True)


def test_a_follow_up_booked_from_a_case_joins_it(client, advisor, consult):
    first = consult()
    login(client, advisor.user)
    _open(client, first)
    nxt = _slot(advisor, days=20)
    response = client.post(
        f"/consultations/desk/{first.id}/follow-up", data={"start": nxt.start.isoformat()}
    )
    assert response.status_code == 302
    case = db.session.scalar(select(SupportCase))
    db.session.expire_all()
    assert len(case.consultations) == 2
