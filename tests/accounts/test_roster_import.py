"""The membership roster: `flask users import` learns the company facts a membership claim
is checked against (optional columns; files without them still import)."""

from __future__ import annotations

from sqlalchemy import select

from booking.accounts.models import Company
from booking.extensions import db
from tests.conftest import login

HEADER = ("email,family_name,given_name,family_kana,given_kana,company,company_kana,member_no,"
          "branch,section,role,password,company_phone,company_postal_code\n")  # fmt: skip


def _import(runner, tmp_path, text):
    path = tmp_path / "roster.csv"
    path.write_bytes(text.encode("utf-8-sig"))
    result = runner.invoke(args=["users", "import", str(path)])
    assert result.exit_code == 0, result.output
    return result.output


def _company(no: str) -> Company:
    db.session.expire_all()
    return db.session.scalar(select(Company).where(Company.member_no == no))


def test_roster_phone_and_postal_code_are_normalised(runner, tmp_path):
    out = _import(runner, tmp_path, HEADER + (
        "a@example.jp,山田,太郎,ヤマダ,タロウ,株式会社山田,ヤマダ,4001,chiyoda,,,,０３ー３２８３ー７５００,１００－０００５\n"
        "b@example.jp,佐藤,花子,サトウ,ハナコ,佐藤商事,サトウ,4002,,,,,0332837600,1000006\n"
    ))  # fmt: skip
    assert "created 2, updated 0, rejected 0" in out
    a, b = _company("4001"), _company("4002")
    assert (a.phone, a.postal_code) == ("03-3283-7500", "100-0005")
    assert (b.phone, b.postal_code) == ("0332837600", "100-0006")


def test_bad_roster_facts_reject_the_line_and_an_empty_one_keeps_what_was_there(runner, tmp_path):
    _import(runner, tmp_path, HEADER + "a@example.jp,山田,太郎,ヤマダ,タロウ,山田,ヤマダ,4003,,,,,03-3283-7500,100-0005\n")  # fmt: skip
    out = _import(runner, tmp_path, HEADER + (
        "a@example.jp,山田,太郎,ヤマダ,タロウ,山田,ヤマダ,4003,,,,,,\n"
        "c@example.jp,山田,次郎,ヤマダ,ジロウ,山田,ヤマダ,4004,,,,,電話ABC,\n"
        "d@example.jp,山田,三郎,ヤマダ,サブロウ,山田,ヤマダ,4005,,,,,,12345\n"
    ))  # fmt: skip
    assert "created 0, updated 1, rejected 2" in out
    assert "invalid company_phone" in out and "invalid company_postal_code" in out
    kept = _company("4003")
    assert (kept.phone, kept.postal_code) == ("03-3283-7500", "100-0005")


def test_an_imported_company_can_be_claimed(runner, tmp_path, client, make_user):
    _import(runner, tmp_path, HEADER + "a@example.jp,山田,太郎,ヤマダ,タロウ,株式会社山田,ヤマダ,4006,,,,,03-3283-7500,\n")  # fmt: skip
    guest = make_user("guest")
    login(client, guest)
    response = client.post("/account/membership", data={"member_no": "4006", "fact": "0332837500"})
    assert response.status_code == 302
    assert _company("4006").id == db.session.get(type(guest), guest.id).company_id
