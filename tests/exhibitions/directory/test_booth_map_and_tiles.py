"""The fair's public booth map (read-only, booths link to exhibitor pages) and the tile that
stands in for a missing logo (the name's first meaningful character, not 株/有/合)."""

from __future__ import annotations

import re

import pytest

from booking.exhibitions.directory.initials import initial, short_name, tile
from booking.exhibitions.models import Booth
from booking.extensions import db


@pytest.fixture
def fair(make_fair):
    return make_fair()


def _place(fair, exhibitor, code):
    booth = db.session.query(Booth).filter_by(exhibition_id=fair.id, code=code).one()
    booth.exhibitor_id = exhibitor.id
    db.session.commit()


@pytest.mark.parametrize(
    ("name", "expected"),
    [("株式会社つなぐ食品", "つ"), ("有限会社 山田商店", "山"), ("合同会社テック", "テ"),
     ("さくら食品株式会社", "さ"), ("（株）青葉", "青"), ("㈱ミナト", "ミ"),
     ("tsunagu Ltd.", "T"), ("株式会社", "株"), ("", "・")],
)  # fmt: skip
def test_the_initial_skips_the_legal_form(name, expected):
    assert initial(name) == expected


def test_the_short_name_drops_the_legal_form():
    assert short_name("株式会社つなぐ食品") == "つなぐ食品"
    assert short_name("さくら食品（株）") == "さくら食品"
    assert short_name("株式会社") == "株式会社"


def test_a_name_keeps_its_tile_colour():
    assert tile("株式会社つなぐ食品") == tile("株式会社つなぐ食品")
    assert re.fullmatch(r"tile-[0-7]", tile("株式会社つなぐ食品"))


def test_the_directory_draws_a_tile_not_the_legal_form(client, fair, make_exhibitor):
    make_exhibitor(fair, name="株式会社つばめ製作所")
    html = client.get(f"/exhibitions/{fair.id}/").get_data(as_text=True)
    assert re.search(r'class="initial tile-\d" aria-hidden="true">つ<', html)
    assert 'aria-hidden="true">株<' not in html
    assert f"/exhibitions/{fair.id}/map" in html


def test_the_public_map_links_accepted_exhibitors_booths(client, fair, make_exhibitor):
    shown, _ = make_exhibitor(fair, name="株式会社つばめ製作所")
    pending, _ = make_exhibitor(fair, name="株式会社審査中", status="submitted")
    _place(fair, shown, "A-01")
    _place(fair, pending, "A-02")
    page = client.get(f"/exhibitions/{fair.id}/map")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    link = f'<a href="/exhibitions/{fair.id}/exhibitors/{shown.id}"'
    assert html.count(link) == 1
    # a title for each booth, starting with what the booth shows (code, short name)
    assert "A-01 つばめ製作所（食品・飲料）：株式会社つばめ製作所</title>" in html
    assert ">つばめ製作所</text>" in html  # the label drops the legal form
    assert "株式会社審査中" not in html  # not public until accepted
    assert f"/exhibitions/{fair.id}/exhibitors/{pending.id}" not in html
    assert "<form" not in html.split("<main", 1)[1].split("</main>", 1)[0]  # read-only


def test_an_unpublished_fairs_map_is_404(client, make_fair):
    draft = make_fair(status="draft")
    assert client.get(f"/exhibitions/{draft.id}/map").status_code == 404
