"""Zones, booths in bulk, edit and delete, assignment rules, the map and the printable list."""

from __future__ import annotations

import pytest

from booking.errors import Conflict, Invalid
from booking.exhibitions.booths.services import (
    Placement,
    assign_booth,
    create_booths,
    create_zone,
    delete_booth,
    unassign_booth,
    update_booth,
)
from booking.exhibitions.models import Booth, Zone
from booking.extensions import db
from booking.timefmt import now_utc


def _booth(fair, code: str) -> Booth:
    return db.session.query(Booth).filter_by(exhibition_id=fair.id, code=code).one()


def _zone(fair, code: str) -> Zone:
    return db.session.query(Zone).filter_by(exhibition_id=fair.id, code=code).one()


def test_staff_add_a_zone_and_a_taken_code_is_refused(make_fair, staff_client):
    fair = make_fair()
    url = f"/staff/exhibitions/{fair.id}/booths/zones"
    assert staff_client.post(url, data={"code": "ｃ", "name": "サービス"}).status_code == 302
    assert _zone(fair, "C").name == "サービス" and _zone(fair, "C").position == 2
    again = staff_client.post(url, data={"code": "C", "name": "重複"})
    assert again.status_code == 409 and "ゾーン記号「C」はすでに使われています。" in again.text


def test_booths_are_made_in_bulk_and_wrap_at_the_map_edge(make_fair, staff):
    fair = make_fair(booths_per_zone=0, map_columns=10)
    booths = create_booths(
        fair.exhibition, _zone(fair, "A").id, "A-", 4, 1, "large", Placement(x=4, y=1, w=3, h=2)
    )
    assert [b.code for b in booths] == ["A-01", "A-02", "A-03", "A-04"]
    # Two fit from column 4 in a 10-wide map; then the next row starts at column 4 again.
    assert [(b.x, b.y) for b in booths] == [(4, 1), (7, 1), (4, 3), (7, 3)]
    assert {b.size for b in booths} == {"large"}


def test_bulk_creation_refuses_existing_codes_and_bad_placement(make_fair, staff_client):
    fair = make_fair(booths_per_zone=3)
    url = f"/staff/exhibitions/{fair.id}/booths/bulk"
    data = {"zone": _zone(fair, "A").id, "prefix": "A-", "first": 3, "count": 2,
            "size": "standard", "x": 0, "y": 8, "w": 2, "h": 2}  # fmt: skip
    taken = staff_client.post(url, data=data)
    assert taken.status_code == 409 and "小間番号 A-03 はすでにあります。" in taken.text
    wide = staff_client.post(url, data={**data, "first": 10, "x": 23})
    assert wide.status_code == 422 and "配置図の幅（24マス）からはみ出します。" in wide.text
    assert staff_client.post(url, data={**data, "first": 10}).status_code == 302
    assert _booth(fair, "A-11").y == 8
    assert db.session.query(Booth).filter_by(exhibition_id=fair.id).count() == 8


def test_a_free_booth_is_edited_and_deleted_an_assigned_one_is_not(
    make_fair, make_exhibitor, staff
):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair)
    free, held = _booth(fair, "A-01"), _booth(fair, "A-02")
    assign_booth(fair.exhibition, held.id, exhibitor.id, staff, now_utc())
    update_booth(
        fair.exhibition, free, _zone(fair, "B").id, "B-99", "small", Placement(20, 5, 2, 2)
    )
    db.session.commit()
    assert (free.code, free.zone.code, free.x, free.y, free.size) == ("B-99", "B", 20, 5, "small")
    with pytest.raises(Conflict) as refused:
        update_booth(fair.exhibition, held, held.zone_id, "A-50", "small", Placement())
    assert refused.value.code == "booth_assigned"
    with pytest.raises(Conflict):
        delete_booth(held)
    delete_booth(free)
    db.session.commit()
    assert db.session.query(Booth).filter_by(code="B-99").count() == 0
    assert _booth(fair, "A-02").exhibitor_id == exhibitor.id


def test_the_edit_page_keeps_what_was_typed(make_fair, staff_client):
    fair = make_fair()
    booth = _booth(fair, "A-01")
    url = f"/staff/exhibitions/{fair.id}/booths/{booth.id}/edit"
    assert 'value="A-01"' in staff_client.get(url).text
    clash = staff_client.post(url, data={"zone": booth.zone_id, "code": "A-02", "size": "small",
                                         "x": 0, "y": 0, "w": 2, "h": 2})  # fmt: skip
    assert clash.status_code == 409 and "A-02" in clash.text
    bad = staff_client.post(url, data={"zone": booth.zone_id, "code": "Z-1", "size": "small",
                                       "x": 0, "y": 0, "w": 0, "h": 2})  # fmt: skip
    assert bad.status_code == 422 and 'value="Z-1"' in bad.text


def test_deleting_an_assigned_booth_on_the_page_says_why(
    make_fair, make_exhibitor, staff, staff_client
):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair)
    booth = _booth(fair, "A-03")
    assign_booth(fair.exhibition, booth.id, exhibitor.id, staff, now_utc())
    db.session.commit()
    answer = staff_client.post(f"/staff/exhibitions/{fair.id}/booths/{booth.id}/delete")
    assert answer.status_code == 409 and "割り当て済みのため変更できません" in answer.text


def test_staff_assign_and_unassign_on_the_page(make_fair, make_exhibitor, staff_client):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair, name="株式会社つなぐ製作所")
    booth = _booth(fair, "B-01")
    url = f"/staff/exhibitions/{fair.id}/booths/{booth.id}"
    assert staff_client.post(f"{url}/assign", data={"exhibitor": exhibitor.id}).status_code == 302
    db.session.refresh(booth)
    assert booth.exhibitor_id == exhibitor.id and booth.assigned_at is not None
    assert staff_client.post(f"{url}/unassign").status_code == 302
    db.session.refresh(booth)
    assert booth.exhibitor_id is None and booth.assigned_by_id is None


def test_a_held_booth_names_its_holder(make_fair, make_exhibitor, staff, staff_client):
    fair = make_fair()
    first, _ = make_exhibitor(fair, name="株式会社先着")
    second, _ = make_exhibitor(fair, name="株式会社後着")
    booth = _booth(fair, "A-04")
    assign_booth(fair.exhibition, booth.id, first.id, staff, now_utc())
    db.session.commit()
    answer = staff_client.post(
        f"/staff/exhibitions/{fair.id}/booths/{booth.id}/assign", data={"exhibitor": second.id}
    )
    assert answer.status_code == 409
    assert "小間 A-04 はすでに 株式会社先着 に割り当てられています。" in answer.text
    db.session.refresh(booth)
    assert booth.exhibitor_id == first.id


def test_a_company_gets_one_booth_unless_staff_raise_its_limit(
    make_fair, make_exhibitor, staff, staff_client
):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair)
    assign_booth(fair.exhibition, _booth(fair, "A-01").id, exhibitor.id, staff, now_utc())
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        assign_booth(fair.exhibition, _booth(fair, "A-02").id, exhibitor.id, staff, now_utc())
    assert refused.value.code == "booth_limit"
    db.session.rollback()
    raise_url = f"/staff/exhibitions/{fair.id}/applications/{exhibitor.id}/booth-limit"
    assert staff_client.post(raise_url, data={"booth_limit": 2}).status_code == 302
    assign_booth(fair.exhibition, _booth(fair, "A-02").id, exhibitor.id, staff, now_utc())
    db.session.commit()
    assert {b.code for b in exhibitor.booths} == {"A-01", "A-02"}


@pytest.mark.parametrize("status", ["applied", "waitlisted", "rejected", "withdrawn"])
def test_only_accepted_exhibitors_get_booths(make_fair, make_exhibitor, staff, status):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair, status=status)
    with pytest.raises(Invalid):
        assign_booth(fair.exhibition, _booth(fair, "A-01").id, exhibitor.id, staff, now_utc())


def test_a_booth_of_another_exhibition_is_404(make_fair, make_exhibitor, staff_client):
    fair, other = make_fair(), make_fair()
    exhibitor, _ = make_exhibitor(fair)
    foreign = _booth(other, "A-01")
    answer = staff_client.post(
        f"/staff/exhibitions/{fair.id}/booths/{foreign.id}/assign", data={"exhibitor": exhibitor.id}
    )
    assert answer.status_code == 404
    db.session.refresh(foreign)
    assert foreign.exhibitor_id is None


def test_unassigning_a_free_booth_is_refused(make_fair, staff):
    fair = make_fair()
    with pytest.raises(Conflict):
        unassign_booth(fair.exhibition, _booth(fair, "A-01").id)


def test_zone_codes_are_unique_per_exhibition(make_fair):
    fair = make_fair()
    with pytest.raises(Conflict):
        create_zone(fair.exhibition, "a", "もう一つのA")


def test_the_map_draws_each_booth_and_tells_free_from_assigned(
    make_fair, make_exhibitor, staff, staff_client
):
    fair = make_fair(booths_per_zone=2)
    exhibitor, _ = make_exhibitor(fair, name="株式会社地図")
    assign_booth(fair.exhibition, _booth(fair, "A-01").id, exhibitor.id, staff, now_utc())
    db.session.commit()
    page = staff_client.get(f"/staff/exhibitions/{fair.id}/booths/").text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="group"' in svg and f'aria-labelledby="booth-map-{fair.id}-title"' in svg
    assert "全4小間（割り当て済み1・空き3）。" in svg
    assert "<title" in svg and "A-01 地図（食品・飲料）：株式会社地図" in svg
    assert svg.count('stroke-dasharray="5 4"') == 3  # free booths are dashed …
    assert svg.count(">空き</text>") == 3  # … and say so in words
    # A 2×2 booth at (2, 0) is drawn at 80px, 0px in 40px cells.
    assert 'x="82" y="2" width="76" height="76"' in svg
    assert 'viewBox="0 0 960 ' in svg  # 24 columns wide


def test_the_printable_list_has_names_furigana_and_contacts(
    make_fair, make_exhibitor, staff, staff_client
):
    fair = make_fair(booths_per_zone=1)
    exhibitor, _ = make_exhibitor(fair, name="株式会社印刷")
    assign_booth(fair.exhibition, _booth(fair, "B-01").id, exhibitor.id, staff, now_utc())
    db.session.commit()
    page = staff_client.get(f"/staff/exhibitions/{fair.id}/booths/print")
    assert page.status_code == 200
    text = page.text
    assert "booth-print.css" in text
    assert "株式会社印刷" in text and exhibitor.company.name_kana in text
    assert exhibitor.contact_email in text and "03-0000-0000" in text
    assert text.index("A-01") < text.index("B-01")  # zone order
    assert "（空き）" in text


def test_booth_pages_are_for_staff_only(make_fair, member_client):
    fair = make_fair()
    assert member_client.get(f"/staff/exhibitions/{fair.id}/booths/").status_code == 404
    assert member_client.get(f"/staff/exhibitions/{fair.id}/booths/print").status_code == 404


def test_the_map_partial_needs_only_the_exhibition_and_its_booths(
    app, make_fair, make_exhibitor, staff
):
    from flask import render_template_string

    from booking.exhibitions.booths.services import booths_of

    fair = make_fair(booths_per_zone=1)
    exhibitor, _ = make_exhibitor(fair, name="株式会社公開")
    assign_booth(fair.exhibition, _booth(fair, "B-01").id, exhibitor.id, staff, now_utc())
    db.session.commit()
    with app.test_request_context("/exhibitions/"):
        html = render_template_string(
            '{% include "exhibitions/_booth_map.html" %}',
            exhibition=fair.exhibition, booths=booths_of(fair.exhibition),
        )  # fmt: skip
    assert "B-01 公開（ものづくり・IT）：株式会社公開" in html
    assert "A-01 空き（食品・飲料）</title>" in html
    assert "全2小間（割り当て済み1・空き1）。" in html
