"""A member company with an administrator (会社の担当者) and two colleagues."""

from __future__ import annotations

import pytest

from booking.companies.admins import appoint_admin
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import login


@pytest.fixture
def company_people(make_user):
    """(administrator, colleague, colleague) of one company; appointed by staff."""
    admin = make_user("member", family_name="山田", given_name="太郎", family_kana="ヤマダ",
                      given_kana="タロウ")  # fmt: skip
    colleagues = [
        make_user("member", company=admin.company, family_name="鈴木", given_name="花子",
                  family_kana="スズキ", given_kana="ハナコ"),
        make_user("member", company=admin.company, family_name="佐藤", given_name="次郎",
                  family_kana="サトウ", given_kana="ジロウ"),
    ]  # fmt: skip
    appoint_admin(admin, make_user("staff"), now_utc())
    db.session.commit()
    return admin, *colleagues


@pytest.fixture
def admin_client(client, company_people):
    assert login(client, company_people[0]).status_code == 302
    return client
