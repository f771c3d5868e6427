"""The public directory and exhibitor pages: filters, order, what is shown and what is not."""

from __future__ import annotations

import re

import pytest

from booking.exhibitions.models import Booth, ExhibitorLogo
from booking.extensions import db
from booking.org.models import Unit


@pytest.fixture
def fair(make_fair):
    return make_fair()


def place(fair, exhibitor, code: str) -> None:
    booth = db.session.query(Booth).filter_by(exhibition_id=fair.id, code=code).one()
    booth.exhibitor_id = exhibitor.id
    db.session.commit()


def add_logo(exhibitor) -> None:
    db.session.add(ExhibitorLogo(exhibitor_id=exhibitor.id, content_type="image/png",
                                 data=b"\x89PNG", width=1, height=1, digest="ab" * 32))  # fmt: skip
    db.session.commit()


def names_in(body: str) -> list[str]:
    return re.findall(
        r"<h3 [^>]*><a href=\"/exhibitions/\d+/exhibitors/\d+\">([^<]+)</a></h3>", body
    )


@pytest.fixture
def three(fair, make_exhibitor):
    """さくら (food, zone A), あおば (ICT, zone B, online meetings), かえで (industry, no booth)."""
    sakura, _ = make_exhibitor(
        fair, name="さくら食品株式会社", display_kana="サクラショクヒン", category="commerce",
        pr_text="無添加の和菓子。",
    )  # fmt: skip
    aoba, _ = make_exhibitor(
        fair, name="あおばシステムズ", display_kana="アオバシステムズ", category="ict",
        pr_text="ＩｏＴセンサーで工場を見える化", online_meetings=True,
        online_meeting_url="https://meet.example.jp/secret-room",
    )  # fmt: skip
    kaede, _ = make_exhibitor(
        fair, name="かえで精工", display_kana="カエデセイコウ", category="industry",
    )  # fmt: skip
    # (the factory sets products itself)
    sakura.products, kaede.products = "どら焼き", "精密ばね"
    place(fair, sakura, "A-01")
    place(fair, aoba, "B-02")
    return sakura, aoba, kaede


def test_accepted_exhibitors_are_listed_in_furigana_order(client, fair, three, make_exhibitor):
    make_exhibitor(fair, name="審査中の会社", status="applied")
    make_exhibitor(fair, name="辞退した会社", status="withdrawn")
    body = client.get(f"/exhibitions/{fair.id}/").get_data(as_text=True)
    assert names_in(body) == ["あおばシステムズ", "かえで精工", "さくら食品株式会社"]
    assert "3社" in body


def test_each_entry_shows_booth_zone_categories_online_badge_and_logo(client, fair, three):
    aoba = three[1]
    add_logo(aoba)
    body = client.get(f"/exhibitions/{fair.id}/").get_data(as_text=True)
    entry = body[body.index("あおばシステムズ") : body.index("かえで精工")]
    assert "B-02" in entry and "ものづくり・IT" in entry  # booth and zone name
    assert "情報通信部会" in entry and "オンライン商談" in entry
    other = body[body.index("かえで精工") :]
    assert "オンライン商談" not in other and "ブース: 未定" in other
    assert f"/exhibitions/{fair.id}/exhibitors/{aoba.id}/logo?v={'ab' * 6}" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=ict", ["あおばシステムズ"]),
        ("category=industry", ["かえで精工"]),
        ("zone=A", ["さくら食品株式会社"]),
        ("zone=b", ["あおばシステムズ"]),
        ("q=さくら", ["さくら食品株式会社"]),
        ("q=かえでせいこう", ["かえで精工"]),  # furigana typed in hiragana
        ("q=ｶｴﾃﾞ", ["かえで精工"]),  # half-width katakana
        ("q=iot", ["あおばシステムズ"]),  # full-width ＩｏＴ in the PR text
        ("q=センサー 工場", ["あおばシステムズ"]),  # every word must match
        ("q=センサー 和菓子", []),
        ("q=どら焼き", ["さくら食品株式会社"]),  # products
        ("q=ばね&category=industry", ["かえで精工"]),
        ("q=ばね&category=ict", []),
        ("category=&zone=&q=", ["あおばシステムズ", "かえで精工", "さくら食品株式会社"]),
    ],
)
def test_filters_by_category_zone_and_keyword(client, fair, three, query, expected):
    response = client.get(f"/exhibitions/{fair.id}/?{query}")
    assert response.status_code == 200
    assert names_in(response.get_data(as_text=True)) == expected


@pytest.mark.parametrize(("query", "field"), [("category=nowhere", "category"), ("zone=Z", "zone")])
def test_unknown_filter_values_answer_400_with_a_message(client, fair, three, query, field):
    response = client.get(f"/exhibitions/{fair.id}/?{query}")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert f'id="f-{field}-error"' in body and names_in(body) == []


def test_the_category_filter_offers_the_chambers_sections(client, fair):
    body = client.get(f"/exhibitions/{fair.id}/").get_data(as_text=True)
    sections = db.session.query(Unit).filter_by(kind="section").all()
    assert sections and all(f'value="{u.slug}"' in body for u in sections)


def test_unpublished_or_unknown_exhibitions_are_404(client, make_fair):
    draft = make_fair(status="draft")
    assert client.get(f"/exhibitions/{draft.id}/").status_code == 404
    assert client.get("/exhibitions/987654/").status_code == 404


def test_the_exhibitor_page_shows_everything_public(client, fair, three):
    aoba = three[1]
    response = client.get(f"/exhibitions/{fair.id}/exhibitors/{aoba.id}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for text in ("あおばシステムズ", "アオバシステムズ", "B-02", "情報通信部会", "ＩｏＴセンサー",
                 "オンライン商談"):  # fmt: skip
        assert text in body, text
    assert f'href="/meetings/exhibitors/{aoba.id}"' in body and "商談を予約する" in body


def test_the_online_meeting_url_is_never_on_public_pages(client, fair, three):
    aoba = three[1]
    for path in (f"/exhibitions/{fair.id}/", f"/exhibitions/{fair.id}/exhibitors/{aoba.id}"):
        assert "secret-room" not in client.get(path).get_data(as_text=True)


def test_the_website_link_opens_without_handing_over_the_page(client, fair, make_exhibitor):
    x, _ = make_exhibitor(fair, website="https://www.example.jp/")
    body = client.get(f"/exhibitions/{fair.id}/exhibitors/{x.id}").get_data(as_text=True)
    assert 'href="https://www.example.jp/" rel="nofollow noopener noreferrer"' in body


@pytest.mark.parametrize("status", ["applied", "waitlisted", "rejected", "withdrawn"])
def test_exhibitors_not_accepted_have_no_public_page(client, fair, make_exhibitor, status):
    x, _ = make_exhibitor(fair, status=status)
    assert client.get(f"/exhibitions/{fair.id}/exhibitors/{x.id}").status_code == 404


def test_an_exhibitor_is_only_found_under_its_own_exhibition(
    client, fair, make_fair, make_exhibitor
):
    other = make_fair()
    x, _ = make_exhibitor(fair)
    assert client.get(f"/exhibitions/{other.id}/exhibitors/{x.id}").status_code == 404


def test_the_list_of_exhibitions_shows_published_fairs_only(client, fair, make_fair):
    draft = make_fair(status="draft")
    draft.event.title = "非公開の展示会"
    db.session.commit()
    body = client.get("/exhibitions/").get_data(as_text=True)
    assert f"/exhibitions/{fair.id}/" in body and "非公開の展示会" not in body


def test_the_event_page_of_an_exhibition_links_to_its_directory(client, fair):
    body = client.get(f"/events/{fair.event.id}").get_data(as_text=True)
    assert f'href="/exhibitions/{fair.id}/"' in body and "出展者一覧を見る" in body
