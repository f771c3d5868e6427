"""Exhibitor page editing: who may edit, what is checked, and script shown as text."""

from __future__ import annotations

import pytest

from booking.exhibitions.models import Booth, Exhibitor
from booking.extensions import db
from tests.conftest import login

SCRIPT = '<script>alert("x")</script>'


def page_form(**overrides) -> dict:
    data = {
        "display_name": "株式会社つなぐ製作所", "display_kana": "つなぐせいさくしょ",
        "pr_text": "精密部品を試作から量産まで。", "products": "金属加工\n治具",
        "categories": ["industry", "ict"], "website": "https://tsunagu.example.jp/",
        "online_meetings": "y", "online_meeting_url": "https://meet.example.jp/abc",
    }  # fmt: skip
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def fair(make_fair):
    return make_fair()


@pytest.fixture
def exhibitor_client(client, fair, make_exhibitor):
    exhibitor, user = make_exhibitor(fair)
    assert login(client, user).status_code == 302
    client.exhibitor = exhibitor
    return client


def test_the_exhibitor_menu_lists_the_companys_exhibitions(exhibitor_client, fair):
    x = exhibitor_client.exhibitor
    body = exhibitor_client.get("/exhibitor/").get_data(as_text=True)
    assert fair.event.title in body and f"/exhibitor/{x.id}/" in body


def test_the_home_links_to_editing_and_the_other_exhibitor_pages(exhibitor_client):
    x = exhibitor_client.exhibitor
    db.session.get(Booth, 1).exhibitor_id = x.id
    body = exhibitor_client.get(f"/exhibitor/{x.id}/").get_data(as_text=True)
    assert "出展決定" in body and "A-01" in body
    for path in ("page", "meetings", "hours", "leads"):
        assert f'href="/exhibitor/{x.id}/{path}"' in body


def test_saving_the_page_stores_every_field(exhibitor_client):
    x = exhibitor_client.exhibitor
    response = exhibitor_client.post(f"/exhibitor/{x.id}/page", data=page_form())
    assert response.status_code == 302
    x = db.session.get(Exhibitor, x.id)
    assert x.display_name == "株式会社つなぐ製作所"
    assert x.display_kana == "ツナグセイサクショ"  # hiragana kept as katakana
    assert x.products == "金属加工\n治具"
    assert [u.slug for u in x.categories] == ["industry", "ict"]
    assert x.website == "https://tsunagu.example.jp/"
    assert x.online_meetings and x.online_meeting_url == "https://meet.example.jp/abc"


def test_script_in_the_text_is_stored_as_typed_and_shown_as_text(exhibitor_client, fair):
    x = exhibitor_client.exhibitor
    form = page_form(display_name=f"悪意{SCRIPT}", pr_text=SCRIPT, products=SCRIPT)
    assert exhibitor_client.post(f"/exhibitor/{x.id}/page", data=form).status_code == 302
    assert db.session.get(Exhibitor, x.id).pr_text == SCRIPT
    for path in (f"/exhibitions/{fair.id}/exhibitors/{x.id}", f"/exhibitions/{fair.id}/",
                 f"/exhibitor/{x.id}/page", f"/exhibitions/{fair.id}/?q=alert"):  # fmt: skip
        body = exhibitor_client.get(path).get_data(as_text=True)
        assert "<script>alert" not in body, path
        assert "&lt;script&gt;alert" in body, path


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("website", "javascript:alert(1)", "http:// または https://"),
        ("website", "ftp://files.example.jp/", "http:// または https://"),
        ("website", "https://", "http:// または https://"),
        ("online_meeting_url", "http://meet.example.jp/abc", "https://"),
        ("online_meeting_url", "", "商談用のURL"),
        ("display_name", "", "出展者名を入力"),
        ("display_kana", "Tsunagu", "フリガナ"),
        ("categories", ["industry", "nowhere"], "選べない分野"),
        ("categories", ["industry", "ict", "trade", "energy", "finance", "commerce"], "5つまで"),
        ("pr_text", "あ" * 2001, "2000文字以内で入力"),
    ],
)
def test_bad_values_are_refused_next_to_the_field_keeping_what_was_typed(
    exhibitor_client, field, value, message
):
    x = exhibitor_client.exhibitor
    before = (x.pr_text, x.website)
    form = page_form(**{field: value, "pr_text": "入力したPR文" if field != "pr_text" else value})
    response = exhibitor_client.post(f"/exhibitor/{x.id}/page", data=form)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert f'id="{field}-error"' in body or (field == "categories" and "categories-error" in body)
    assert message in body
    if field != "pr_text":
        assert "入力したPR文" in body  # what was typed is still in the form
    x = db.session.get(Exhibitor, x.id)
    assert (x.pr_text, x.website) == before  # nothing saved


def test_full_width_urls_are_normalised(exhibitor_client):
    x = exhibitor_client.exhibitor
    form = page_form(website="ｈｔｔｐｓ：／／ｗｗｗ．ｅｘａｍｐｌｅ．ｊｐ／")
    assert exhibitor_client.post(f"/exhibitor/{x.id}/page", data=form).status_code == 302
    assert db.session.get(Exhibitor, x.id).website == "https://www.example.jp/"


def test_another_companys_exhibitor_is_404(exhibitor_client, fair, make_exhibitor):
    other, _ = make_exhibitor(fair)
    for path in ("/", "/page", "/logo"):
        assert exhibitor_client.get(f"/exhibitor/{other.id}{path}").status_code == 404
    response = exhibitor_client.post(f"/exhibitor/{other.id}/page", data=page_form())
    assert response.status_code == 404
    assert db.session.get(Exhibitor, other.id).display_name == ""


@pytest.mark.parametrize("status", ["applied", "waitlisted", "rejected"])
def test_only_accepted_exhibitors_edit_their_page(client, fair, make_exhibitor, status):
    exhibitor, user = make_exhibitor(fair, status=status)
    login(client, user)
    assert client.get(f"/exhibitor/{exhibitor.id}/").status_code == 200
    assert client.get(f"/exhibitor/{exhibitor.id}/page").status_code == 404
    assert client.post(f"/exhibitor/{exhibitor.id}/page", data=page_form()).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, fair, make_exhibitor):
    exhibitor, _ = make_exhibitor(fair)
    response = client.get(f"/exhibitor/{exhibitor.id}/page")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_the_edit_form_starts_from_the_company_name(exhibitor_client):
    x = exhibitor_client.exhibitor
    body = exhibitor_client.get(f"/exhibitor/{x.id}/page").get_data(as_text=True)
    assert f'value="{x.company.name}"' in body


def test_every_mistake_is_shown_at_once(exhibitor_client):
    x = exhibitor_client.exhibitor
    form = page_form(display_name="", website="javascript:alert(1)")
    body = exhibitor_client.post(f"/exhibitor/{x.id}/page", data=form).get_data(as_text=True)
    assert 'id="display_name-error"' in body and 'id="website-error"' in body


def test_the_directory_shows_a_saved_page_at_once(exhibitor_client, fair):
    """The directory keeps each card's HTML; a card whose values changed is drawn afresh."""
    x = exhibitor_client.exhibitor
    form = page_form(display_name="旧名の製作所", categories=["industry"])
    assert exhibitor_client.post(f"/exhibitor/{x.id}/page", data=form).status_code == 302
    before = exhibitor_client.get(f"/exhibitions/{fair.id}/").get_data(as_text=True)
    assert "旧名の製作所" in before
    form = page_form(display_name="新名の製作所", categories=["ict"], online_meetings=None)
    assert exhibitor_client.post(f"/exhibitor/{x.id}/page", data=form).status_code == 302
    after = exhibitor_client.get(f"/exhibitions/{fair.id}/").get_data(as_text=True)
    assert "新名の製作所" in after and "旧名の製作所" not in after
    card = after[after.index(f'id="exhibitor-{x.id}"') :]
    card = card[: card.index("</li>")]
    assert "情報通信" in card and "オンライン商談" not in card
    db.session.get(Booth, 1).exhibitor_id = x.id
    db.session.commit()
    moved = exhibitor_client.get(f"/exhibitions/{fair.id}/").get_data(as_text=True)
    assert "A-01" in moved[moved.index(f'id="exhibitor-{x.id}"') :]
