from sqlalchemy import func, select

from booking.accounts.models import ApiToken, Company, User
from booking.consultations.models import Theme
from booking.events.models import Event, Frame
from booking.extensions import db
from booking.org.models import Unit

HEADER = "email,family_name,given_name,family_kana,given_kana,company,company_kana,member_no,branch,section,role,password\n"


def _counts():
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Unit, Theme, User, Company, Event, Frame)
    )


def test_demo_load_is_idempotent(runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    counts = _counts()
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0
    assert _counts() == counts
    assert counts[0] == 1 + 23 + 10 + 23 + 2
    assert counts[1] == 11
    assert "member@demo.tsunagu.jp" in second.output


def test_users_create_makes_a_member_with_company_and_branch(runner):
    result = runner.invoke(
        args=["users", "create", "ＡＢＣ＠example.jp", "--password", "long-enough-1", "--role",
              "member", "--name", "山田 太郎", "--company", "山田商店", "--member-no", "１２３",
              "--branch", "chiyoda"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "abc@example.jp"))
    assert (user.family_name, user.given_name) == ("山田", "太郎")
    assert (user.company.member_no, user.company.branch.slug) == ("123", "chiyoda")


def test_users_create_refuses_a_taken_email_with_a_message(runner, member):
    result = runner.invoke(args=["users", "create", member.email, "--password", "long-enough-1"])
    assert result.exit_code != 0
    assert "既に登録されています" in result.output


def test_users_token_prints_one_token_per_account_in_order(runner, make_user):
    a, b = make_user("member"), make_user("admin")
    result = runner.invoke(args=["users", "token", a.email, b.email])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 2
    stored = {t.token_hash for t in db.session.scalars(select(ApiToken))}
    assert not set(lines) & stored  # only hashes are kept


def test_users_token_for_an_unknown_account_fails(runner):
    result = runner.invoke(args=["users", "token", "nobody@example.jp"])
    assert result.exit_code != 0


def _write(tmp_path, text, encoding="utf-8-sig"):
    path = tmp_path / "members.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_import_utf8_with_bom_creates_companies_and_people(runner, tmp_path):
    csv = HEADER + (
        "a@example.jp,山田,太郎,やまだ,たろう,株式会社山田,ヤマダ,１００１,chiyoda,commerce,member,\n"
        "b@example.jp,佐藤,花子,サトウ,ハナコ,株式会社山田,ヤマダ,1001,chiyoda,commerce,member,pass-word-1\n"
    )
    result = runner.invoke(args=["users", "import", _write(tmp_path, csv)])
    assert result.exit_code == 0, result.output
    assert "created 2, updated 0, rejected 0" in result.output
    a = db.session.scalar(select(User).where(User.email == "a@example.jp"))
    assert a.family_kana == "ヤマダ" and a.company.member_no == "1001"
    assert db.session.scalar(select(func.count()).select_from(Company)) == 1
    assert a.password_hash is None  # no password given: they set one by the reset link


def test_import_cp932_and_reports_rejected_lines(runner, tmp_path):
    csv = HEADER + (
        "ok@example.jp,山田,太郎,ヤマダ,タロウ,山田商店,ヤマダ,2001,chiyoda,,member,\n"
        "not-an-email,山田,太郎,ヤマダ,タロウ,山田商店,ヤマダ,2002,chiyoda,,member,\n"
        "x@example.jp,山田,太郎,ヤマダ,タロウ,山田商店,ヤマダ,2003,atlantis,,member,\n"
        "ok@example.jp,山田,太郎,ヤマダ,タロウ,山田商店,ヤマダ,2001,chiyoda,,member,\n"
    )
    result = runner.invoke(args=["users", "import", _write(tmp_path, csv, "cp932")])
    assert result.exit_code == 0, result.output
    assert "created 1, updated 0, rejected 3" in result.output
    assert "line 3: invalid email" in result.output
    assert "line 4: unknown branch 'atlantis'" in result.output
    assert "line 5: duplicate of line 2" in result.output


def test_import_twice_updates_instead_of_duplicating(runner, tmp_path):
    csv = HEADER + "a@example.jp,山田,太郎,ヤマダ,タロウ,山田商店,ヤマダ,3001,chiyoda,,member,\n"
    runner.invoke(args=["users", "import", _write(tmp_path, csv)])
    changed = csv.replace("太郎", "次郎")
    result = runner.invoke(args=["users", "import", _write(tmp_path, changed)])
    assert "created 0, updated 1, rejected 0" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert db.session.scalar(select(User.given_name)) == "次郎"


def test_import_without_an_email_column_fails_clearly(runner, tmp_path):
    result = runner.invoke(args=["users", "import", _write(tmp_path, "name\nx\n")])
    assert result.exit_code != 0
    assert "header" in result.output


def test_import_invite_sends_a_set_password_link(runner, tmp_path, sent_mail):
    csv = HEADER + "new@example.jp,山田,太郎,ヤマダ,タロウ,山田商店,ヤマダ,4001,chiyoda,,member,\n"
    runner.invoke(args=["users", "import", "--invite", _write(tmp_path, csv)])
    [mail] = sent_mail()
    assert mail["To"] == "new@example.jp"


def test_demo_load_lists_each_mail_it_planned_on_one_line(runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    lines = [line for line in first.output.splitlines() if "【東京商工会議所】" in line]
    assert lines and all("@demo.tsunagu.jp" in line for line in lines)
    assert "Mail planned by this load: " in first.output
    # A second load plans nothing new and says so.
    second = runner.invoke(args=["demo", "load"])
    assert "Mail planned by this load: 0" in second.output
