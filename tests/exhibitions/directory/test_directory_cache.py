"""The anonymous directory listing kept per worker (directory/pages.py): drawn once, and
never shown stale — every writer's change shows on the next page view, on this worker and
on another one (another app: its own cache, the same database)."""

from __future__ import annotations

import copy
import io

import pytest
from sqlalchemy import event as sa_event
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from booking.demo import chamber_data
from booking.exhibitions.models import Booth
from booking.extensions import db
from booking.org.services import load_structure
from tests.conftest import IsolatedClient, login, make_app
from tests.exhibitions.pages.test_logos import image_bytes


@pytest.fixture
def fair(make_fair):
    return make_fair()


@pytest.fixture
def visitor(app):
    """A visitor who is not signed in (the pages kept are theirs)."""
    return app.test_client()


@pytest.fixture
def other_worker(database_url, clock):
    """A second worker: its own app and cache, the same database."""
    other = make_app(database_url, CLOCK=clock)
    other.test_client_class = IsolatedClient
    return other.test_client()


def page(client, fair, query: str = "") -> str:
    answer = client.get(f"/exhibitions/{fair.id}/{query}")
    assert answer.status_code == 200
    return answer.text


def statements_of(client, url: str) -> int:
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    return len([s for s in seen if s.lstrip().upper().startswith("SELECT")])


def test_the_second_view_is_the_same_page_from_one_statement(fair, make_exhibitor, visitor):
    make_exhibitor(fair, name="株式会社キャッシュ")
    url = f"/exhibitions/{fair.id}/?category=industry&q=キャッシュ"
    first = visitor.get(url).text
    assert statements_of(visitor, url) == 1  # the fair, its event and its version
    assert visitor.get(url).text == first and "株式会社キャッシュ" in first


def test_a_signed_in_visitor_sees_their_own_bookmarks_not_a_kept_page(
    fair, make_exhibitor, client, make_user, visitor
):
    exhibitor, _ = make_exhibitor(fair, name="株式会社しおり")
    page(visitor, fair)
    login(client, make_user("member"))
    url = f"/exhibitions/{fair.id}/exhibitors/{exhibitor.id}/bookmark"
    assert client.post(url, data={"wanted": "1"}).status_code == 302
    mine = page(client, fair)
    assert 'aria-pressed="true"' in mine and "ブックマークした出展者" in mine
    assert 'aria-pressed="true"' not in page(visitor, fair)


def test_staff_accepting_an_application_shows_it(
    fair, make_exhibitor, staff_client, visitor, other_worker
):
    exhibitor, _ = make_exhibitor(fair, status="applied", name="株式会社しんさ")
    assert "株式会社しんさ" not in page(visitor, fair) + page(other_worker, fair)
    url = f"/staff/exhibitions/{fair.id}/applications/{exhibitor.id}/decide"
    assert staff_client.post(url, data={"decision": "accept"}).status_code == 302
    assert "株式会社しんさ" in page(visitor, fair)
    assert "株式会社しんさ" in page(other_worker, fair)


def test_staff_assigning_and_freeing_a_booth_shows_it(
    fair, make_exhibitor, staff_client, visitor, other_worker
):
    exhibitor, _ = make_exhibitor(fair)
    booth = db.session.query(Booth).filter_by(exhibition_id=fair.id, code="B-03").one()
    assert "B-03" not in page(visitor, fair) + page(other_worker, fair, "?zone=B")
    url = f"/staff/exhibitions/{fair.id}/booths/{booth.id}"
    assert staff_client.post(f"{url}/assign", data={"exhibitor": exhibitor.id}).status_code == 302
    assert "B-03" in page(visitor, fair) and "B-03" in page(other_worker, fair, "?zone=B")
    assert staff_client.post(f"{url}/unassign").status_code == 302
    assert "B-03" not in page(visitor, fair) + page(other_worker, fair, "?zone=B")


def test_staff_adding_a_zone_shows_it_in_the_filter(fair, staff_client, visitor, other_worker):
    assert "サービスゾーン" not in page(visitor, fair) + page(other_worker, fair)
    url = f"/staff/exhibitions/{fair.id}/booths/zones"
    assert staff_client.post(url, data={"code": "C", "name": "サービスゾーン"}).status_code == 302
    assert "サービスゾーン" in page(visitor, fair) and "サービスゾーン" in page(other_worker, fair)


def test_the_exhibitors_own_page_name_and_logo_show(
    fair, make_exhibitor, client, visitor, other_worker
):
    exhibitor, user = make_exhibitor(fair)
    assert "つなぐ製作所" not in page(visitor, fair) + page(other_worker, fair)
    login(client, user)
    form = {"display_name": "株式会社つなぐ製作所", "display_kana": "ツナグ", "pr_text": "",
            "products": "", "categories": ["industry"], "website": ""}  # fmt: skip
    assert client.post(f"/exhibitor/{exhibitor.id}/page", data=form).status_code == 302
    assert "つなぐ製作所" in page(visitor, fair) and "つなぐ製作所" in page(other_worker, fair)
    logo = f"/exhibitions/{fair.id}/exhibitors/{exhibitor.id}/logo"
    assert logo not in page(visitor, fair) + page(other_worker, fair)
    file = FileStorage(io.BytesIO(image_bytes()), filename="logo.png", content_type="image/png")
    boundary, body = encode_multipart({"logo": file})
    uploaded = client.post(f"/exhibitor/{exhibitor.id}/logo", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")  # fmt: skip
    assert uploaded.status_code == 302
    assert logo in page(visitor, fair) and logo in page(other_worker, fair)
    assert client.post(f"/exhibitor/{exhibitor.id}/logo/delete").status_code == 302
    assert logo not in page(visitor, fair) + page(other_worker, fair)


def test_a_withdrawn_exhibitor_leaves_the_directory(
    fair, make_exhibitor, client, visitor, other_worker
):
    _, user = make_exhibitor(fair, name="株式会社とりさげ")
    assert "株式会社とりさげ" in page(visitor, fair) and "株式会社とりさげ" in page(
        other_worker, fair
    )
    login(client, user)
    assert client.post(f"/exhibitions/{fair.id}/application/withdraw").status_code == 302
    assert "株式会社とりさげ" not in page(visitor, fair) + page(other_worker, fair)


def test_a_company_renamed_by_the_member_import_shows(
    fair, make_exhibitor, runner, tmp_path, visitor, other_worker
):
    exhibitor, user = make_exhibitor(fair)
    assert "株式会社あたらしい" not in page(visitor, fair) + page(other_worker, fair)
    csv = tmp_path / "roster.csv"
    csv.write_bytes(
        "email,family_name,given_name,family_kana,given_kana,company,company_kana,member_no\n"
        f"{user.email},山田,太郎,ヤマダ,タロウ,株式会社あたらしい,アタラシイ,{exhibitor.company.member_no}\n"
        .encode("utf-8-sig")
    )  # fmt: skip
    result = runner.invoke(args=["users", "import", str(csv)])
    assert result.exit_code == 0 and "updated 1" in result.output, result.output
    assert "株式会社あたらしい" in page(visitor, fair)
    assert "株式会社あたらしい" in page(other_worker, fair)


def test_a_section_renamed_by_the_structure_load_shows_on_every_fair(
    fair, make_fair, make_exhibitor, visitor, other_worker
):
    second = make_fair()
    make_exhibitor(fair, category="industry")
    make_exhibitor(second, category="industry")
    assert "工業・ものづくり新" not in page(visitor, fair) + page(other_worker, second)
    data = copy.deepcopy(chamber_data())
    for section in data["sections"]:
        if section["slug"] == "industry":
            section["name"] = "工業・ものづくり新"
    load_structure(data)
    db.session.commit()
    assert "工業・ものづくり新" in page(visitor, fair)
    assert "工業・ものづくり新" in page(other_worker, second)


def test_unpublishing_the_event_hides_the_page_at_once(fair, make_exhibitor, visitor):
    make_exhibitor(fair)
    page(visitor, fair)
    fair.event.status = "draft"
    db.session.commit()
    assert visitor.get(f"/exhibitions/{fair.id}/").status_code == 404
