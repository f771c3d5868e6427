"""The shared fair factory builds what the other exhibition tests rely on."""

import pytest

from booking.errors import NotFound
from booking.exhibitions.lookup import fair_days, own_exhibitor


def test_fair_has_two_days_two_zones_and_booths(make_fair):
    fair = make_fair()
    assert fair_days(fair.exhibition) == fair.days
    assert [z.code for z in fair.exhibition.zones] == ["A", "B"]


def test_own_exhibitor_is_404_for_another_company(make_fair, make_exhibitor):
    fair = make_fair()
    mine, me = make_exhibitor(fair)
    other, _ = make_exhibitor(fair)
    assert own_exhibitor(mine.id, me) is mine
    with pytest.raises(NotFound):
        own_exhibitor(other.id, me)
