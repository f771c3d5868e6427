"""English mode shows data in English: reference data by its `name_en`, default frame names
and fees by their translation, asides in ASCII brackets."""

from __future__ import annotations

from types import SimpleNamespace

from flask_babel import refresh
from sqlalchemy import select

from booking.consultations.catalogue import load_catalogue
from booking.consultations.models import Channel, Theme
from booking.demo import chamber_data
from booking.extensions import db
from booking.localnames import bracketed, fee, localized
from booking.org.models import Unit


def test_units_themes_and_channels_carry_english_names_from_the_chamber_data(app):
    load_catalogue(chamber_data())
    shibuya = db.session.scalar(select(Unit).where(Unit.kind == "branch", Unit.slug == "shibuya"))
    assert (shibuya.name, shibuya.name_en) == ("渋谷支部", "Shibuya Branch")
    assert all(u.name_en for u in db.session.scalars(select(Unit)))
    assert all(t.name_en for t in db.session.scalars(select(Theme)))
    assert all(c.name_en for c in db.session.scalars(select(Channel)))


def test_localized_reads_the_current_language(app):
    unit = SimpleNamespace(name="渋谷支部", name_en="Shibuya Branch")
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        refresh()
        assert localized(unit) == "Shibuya Branch"
        assert localized(SimpleNamespace(name="会場参加")) == "In person"
        assert localized(SimpleNamespace(name="VIP席")) == "VIP席"  # staff's own name, as written
        assert localized(SimpleNamespace(name="港支部", name_en="")) == "港支部"
    with app.test_request_context():
        refresh()  # the app context outlives a request: forget its language
        assert localized(unit) == "渋谷支部"
        assert localized(SimpleNamespace(name="会場参加")) == "会場参加"


def test_fees_read_naturally_in_each_language():
    assert fee("", english=True) == "Free" and fee("無料", english=True) == "Free"
    assert fee(None, english=False) == "無料"
    assert fee("会員 2,000円（税込）", english=True) == "Members ¥2,000 (incl. tax)"
    assert fee("3,000円（税込）", english=True) == "¥3,000 (incl. tax)"
    assert fee("3,000円（税込）", english=False) == "3,000円（税込）"
    assert fee("資料代 500円", english=True) == "資料代 500円"  # written by staff: as written


def test_asides_use_the_brackets_of_the_language():
    assert bracketed("港区", english=False) == "（港区）"
    assert bracketed("Minato", english=True) == " (Minato)"
    assert bracketed(0, english=True) == " (0)"
    assert bracketed("", english=True) == ""
    assert bracketed("<b>", english=False) == "（&lt;b&gt;）"


def test_the_event_page_in_english_names_organiser_frames_and_fee_in_english(app, client):
    from datetime import timedelta

    from booking.events.models import Event, Frame
    from booking.org.services import unit_by_key
    from booking.timefmt import now_utc

    start = now_utc() + timedelta(days=10)
    event = Event(title="渋谷ビジネス交流会", status="published", kind="exchange",
                  format="in_person", unit=unit_by_key("branch:shibuya"), starts_at=start,
                  ends_at=start + timedelta(hours=2))  # fmt: skip
    event.frames.append(Frame(name="会場参加", mode="in_person", capacity=50, taken=0,
                              audience="all", price_label="無料"))  # fmt: skip
    db.session.add(event)
    db.session.commit()
    client.set_cookie("lang", "en")
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Shibuya Branch" in page and "渋谷支部" not in page
    assert "Fee: Free" in page and "無料" not in page
    assert "会場参加" not in page
