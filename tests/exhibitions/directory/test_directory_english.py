"""The directory in English names zones and sections by their English names, as the
exhibitor's own page and the booth map do (cards are read from rows, not ORM objects)."""

from __future__ import annotations

from booking.exhibitions.models import Booth, Zone
from booking.extensions import db


def test_directory_cards_in_english_name_the_zone_and_section_in_english(
    app, client, make_fair, make_exhibitor
):
    fair = make_fair()
    zone = db.session.query(Zone).filter_by(exhibition_id=fair.id, code="A").one()
    zone.name_en = "Food and Drink"
    exhibitor, _ = make_exhibitor(fair, category="industry")
    db.session.query(Booth).filter_by(
        exhibition_id=fair.id, code="A-01"
    ).one().exhibitor_id = exhibitor.id
    db.session.commit()
    section = exhibitor.categories[0]
    client.set_cookie("lang", "en")
    page = client.get(f"/exhibitions/{fair.id}/").get_data(as_text=True)
    card = page[page.index('<span class="booth-code">A-01</span>') :][:600]
    assert "(Food and Drink)" in card and "食品・飲料" not in card
    assert section.name_en in page and f">{section.name}<" not in page
    client.set_cookie("lang", "ja")
    page = client.get(f"/exhibitions/{fair.id}/").get_data(as_text=True)
    assert "（食品・飲料）" in page and f">{section.name}<" in page
