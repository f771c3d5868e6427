"""The staff entrance pages: choosing the door, scanning, the result, counts and search."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from booking.exhibitions.models import Entry
from booking.extensions import db
from tests.clock import DOORS_OPEN
from tests.exhibitions.visitors import register


@pytest.fixture
def fair(make_fair, clock):
    # Opens today and its doors are open, so the pages' default day is a fair day.
    clock.move_to(DOORS_OPEN)
    return make_fair(days_ahead=0)


def _scan_url(fair, entrance="東口", day=None):
    day = day or fair.days[0]
    return f"/staff/entrance/{fair.id}/scan?entrance={entrance}&day={day.isoformat()}"


def test_members_do_not_see_the_entrance_pages(member_client, fair):
    assert member_client.get("/staff/entrance/").status_code == 404
    assert member_client.get(f"/staff/entrance/{fair.id}/").status_code == 404
    assert member_client.post(_scan_url(fair), data={"pass": "x"}).status_code == 404


def test_staff_choose_an_exhibition_entrance_and_day(staff_client, fair):
    page = staff_client.get("/staff/entrance/").get_data(as_text=True)
    assert fair.event.title in page and f"/staff/entrance/{fair.id}/" in page
    page = staff_client.get(f"/staff/entrance/{fair.id}/").get_data(as_text=True)
    assert '<option value="東口">' in page and '<option value="西口">' in page
    assert f'<option value="{fair.days[0].isoformat()}" selected>' in page


def test_scanning_shows_entered_then_already_with_the_first_entrance(staff_client, fair, member):
    reg = register(fair, member)
    first = staff_client.post(_scan_url(fair, "東口"), data={"pass": reg.pass_token})
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert 'class="entry-result entered"' in html and "入場OK" in html
    assert member.full_name in html and member.full_kana in html
    assert "autofocus" in html and 'name="pass"' in html

    again = staff_client.post(_scan_url(fair, "西口"), data={"pass": reg.pass_token})
    html = again.get_data(as_text=True)
    assert again.status_code == 200
    assert 'class="entry-result already"' in html and "本日入場済み" in html
    assert "で入場しています" in html and "東口" in html
    assert db.session.scalars(select(Entry.entrance)).all() == ["東口"]


def test_refusals_are_shown_in_words(staff_client, fair, member):
    online = register(fair, member, online=True)
    response = staff_client.post(_scan_url(fair), data={"pass": online.pass_token})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'class="entry-result refused"' in html and "入場できません" in html
    assert "オンライン来場のお申し込みです" in html
    unknown = staff_client.post(_scan_url(fair), data={"pass": "nonsense"})
    assert unknown.status_code == 404
    assert "この参加証は登録されていません" in unknown.get_data(as_text=True)


def test_counts_per_entrance_for_the_day(staff_client, fair, make_user):
    for entrance in ("東口", "西口", "西口"):
        reg = register(fair, make_user("member"))
        staff_client.post(_scan_url(fair, entrance), data={"pass": reg.pass_token})
    html = staff_client.get(_scan_url(fair)).get_data(as_text=True)
    assert '<th scope="row">東口 （この入口）</th><td class="num">1</td>' in html
    assert '<th scope="row">西口</th><td class="num">2</td>' in html
    assert '<th scope="row">合計</th><td class="num">3</td>' in html


def test_a_bad_entrance_or_day_sends_staff_back_to_choose(staff_client, fair):
    for url in (_scan_url(fair, "北口"), f"/staff/entrance/{fair.id}/scan?entrance=東口&day=nope"):
        response = staff_client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/staff/entrance/{fair.id}/")


def test_unknown_exhibition_is_404(staff_client):
    assert staff_client.get("/staff/entrance/99999/").status_code == 404


def test_search_by_furigana_and_enter_from_the_result(staff_client, fair, make_user):
    visitor = make_user("member", family_name="鈴木", family_kana="スズキ", given_kana="ハナコ")
    reg = register(fair, visitor)
    html = staff_client.get(_scan_url(fair) + "&q=すずき").get_data(as_text=True)
    assert visitor.full_name in html and reg.reference in html
    assert f'value="{reg.pass_token}"' in html
    staff_client.post(_scan_url(fair), data={"pass": reg.pass_token})
    html = staff_client.get(_scan_url(fair) + "&q=スズキ").get_data(as_text=True)
    assert "本日入場済み" in html and f'value="{reg.pass_token}"' not in html
