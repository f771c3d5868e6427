"""The demo shows intake routing (事業承継 → the succession specialist) and support cases."""

from __future__ import annotations

from sqlalchemy import func, select

from booking.consultations.case_report import fiscal_year_of
from booking.consultations.catalogue import theme_by_slug
from booking.consultations.models import SupportCase
from booking.demo import load
from booking.extensions import db
from booking.timefmt import now_utc, to_local
from tests.conftest import login


def _load_twice():
    for _ in range(2):
        load(now_utc())
        db.session.commit()


def test_the_demo_routes_succession_to_the_specialist_and_has_cases_once(app, client):
    _load_twice()
    routing = theme_by_slug("succession").routing
    assert routing[0]["choices"][0]["advisor"] == "succession@demo.tsunagu.jp"
    assert db.session.scalar(select(func.count()).select_from(SupportCase)) == 3
    page = client.get("/consultations/questions/?theme=succession&asked=1&q0=0")
    assert "承継 正樹" in page.get_data(as_text=True)


def test_demo_branch_staff_see_the_cases_and_the_report(app, client):
    _load_twice()
    from booking.accounts.models import User

    staff = db.session.scalar(select(User).where(User.email == "chiyoda.staff@demo.tsunagu.jp"))
    login(client, staff, "tsunagu-demo")
    page = client.get("/consultations/desk/cases/").get_data(as_text=True)
    assert page.count("S-0000") == 3
    report = client.get("/consultations/desk/cases/report").get_data(as_text=True)
    this_year = fiscal_year_of(to_local(now_utc()).date())
    in_year = [
        c for c in db.session.scalars(select(SupportCase))
        if fiscal_year_of(to_local(c.opened_at).date()) == this_year
    ]  # fmt: skip
    assert f"合計 {len(in_year)}件" in report
    case = db.session.scalar(select(SupportCase).order_by(SupportCase.id))
    assert client.get(f"/consultations/desk/cases/{case.id}").status_code == 200
