"""What the demo shows reads as a real chamber's pages: Japanese texts, names of their year."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from booking.demo import load
from booking.demo.texts import demo_title, new_year_party_day, open_day
from booking.events.models import Event
from booking.extensions import db
from booking.timefmt import now_utc, to_local

LATIN_WORDS = re.compile(r"[A-Za-z]{3,}(?:\s+[A-Za-z]{2,}){2,}")  # "hybrid trade exhibition"


@pytest.fixture
def demo(app):
    load(now_utc())
    db.session.commit()
    return list(db.session.scalars(select(Event).order_by(Event.id)))


def test_no_demo_event_name_carries_a_year_other_than_the_one_it_is_held_in(demo):
    for event in demo:
        for year in re.findall(r"(?<!\d)(20\d\d)(?!\d)", event.title):
            assert int(year) == to_local(event.starts_at).year, event.title


def test_demo_texts_are_japanese_without_english_sentences(demo):
    for event in demo:
        for text in filter(None, (event.title, event.summary, event.description)):
            assert not LATIN_WORDS.search(text), (event.title, text)
            assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text), (event.title, text)


def test_no_demo_description_repeats_the_pages_own_heading_or_series_sentence(demo):
    for event in demo:
        description = event.description or ""
        assert not re.search(r"^#+\s*内容\s*$", description, re.M), event.title
        assert "1回のお申し込みで" not in description, event.title


def test_plan_names_lose_their_year():
    assert demo_title("中小企業マーケットTOKYO2023") == "中小企業マーケットTOKYO"
    assert "2022" not in demo_title("ツーリズムEXPOジャパン2022 出展")
    assert demo_title("eco検定受験対策セミナー") == "eco検定受験対策セミナー"


def test_a_new_year_party_is_held_in_the_first_working_days_of_january():
    assert new_year_party_day(date(2026, 6, 3)) == date(2027, 1, 6)
    assert new_year_party_day(date(2026, 1, 2)) == date(2026, 1, 6)
    assert new_year_party_day(date(2027, 6, 3)) == date(2028, 1, 6)  # a Thursday
    assert new_year_party_day(date(2029, 12, 1)) == date(2030, 1, 7)  # 6 Jan 2030 is a Sunday


def test_the_two_day_fair_says_when_it_is_open_not_that_it_is_a_series(demo, client):
    fair = next(e for e in demo if e.title == "中小企業マーケットTOKYO")
    page = client.get(f"/events/{fair.id}").get_data(as_text=True)
    days = sorted({to_local(s.starts_at).date() for s in fair.sessions})
    assert f"2日間開催（{days[0].month}月{days[0].day}日・" in page
    assert "連続講座" not in page
    assert "来場定員8,000名" in page and "席" not in page.split("参加枠")[1]
    assert "hybrid" not in page


def test_the_fair_in_english_names_its_days(demo, client):
    fair = next(e for e in demo if e.title == "中小企業マーケットTOKYO")
    client.set_cookie("lang", "en")
    page = client.get(f"/events/{fair.id}").get_data(as_text=True)
    assert "Held over 2 days (" in page


def test_the_series_says_once_that_one_registration_covers_every_session(demo, client):
    series = next(e for e in demo if e.title.startswith("イノベーション創出連続セミナー（"))
    page = client.get(f"/events/{series.id}").get_data(as_text=True)
    assert page.count("1回のお申し込みで全3回") == 1


def test_a_second_load_keeps_one_fair_under_its_new_name(demo):
    load(now_utc())
    db.session.commit()
    titles = list(db.session.scalars(select(Event.title)))
    assert titles.count("中小企業マーケットTOKYO") == 1
    assert not any("2023" in t for t in titles)


def test_the_readme_lists_every_demo_login():
    from pathlib import Path

    from booking.demo import DEMO_PEOPLE
    from booking.demo.consultations import ADVISORS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for email, *_ in DEMO_PEOPLE:
        assert f"`{email}`" in readme, email
    for email, *_ in ADVISORS:
        assert email.split("@")[0] + "@" in readme, email


def test_each_demo_theme_suggests_its_own_intake_example_in_both_languages(demo):
    from booking.consultations.models import Theme

    themes = list(db.session.scalars(select(Theme)))
    for hints in (
        {t.slug: t.intake_hint for t in themes},
        {t.slug: t.intake_hint_en for t in themes},
    ):
        assert all(hints.values()) and len(set(hints.values())) == len(hints)
    hints = {t.slug: (t.intake_hint, t.intake_hint_en) for t in themes}
    assert "株式" in hints["succession"][0] and "shares" in hints["succession"][1]
    assert "商標" in hints["ip"][0] and "trademark" in hints["ip"][1]


def test_no_two_demo_events_share_a_name_and_none_is_named_as_over(demo):
    titles = [e.title for e in demo]
    assert len(titles) == len(set(titles)), sorted(t for t in titles if titles.count(t) > 1)
    assert not any("終了" in t for t in titles)


def test_no_demo_venue_gives_made_up_directions(demo):
    for event in demo:
        assert "最寄り駅より徒歩" not in (event.venue_access or ""), event.title


def test_the_chamber_is_closed_over_the_new_year():
    assert open_day(date(2026, 12, 28)) == date(2026, 12, 28)
    assert open_day(date(2026, 12, 29)) == date(2027, 1, 4)  # a Monday
    assert open_day(date(2027, 1, 2)) == date(2027, 1, 4)
    assert open_day(date(2027, 12, 31)) == date(2028, 1, 4)  # a Tuesday
    assert open_day(date(2031, 1, 3)) == date(2031, 1, 6)  # 4 January 2031 is a Saturday
    assert open_day(date(2027, 1, 4)) == date(2027, 1, 4)


def test_a_demo_loaded_in_december_holds_no_plan_event_over_the_new_year(app, clock):
    from datetime import UTC, datetime

    from booking.demo import chamber_data
    from booking.demo.texts import demo_title

    clock.move_to(datetime(2026, 12, 7, 1, 0, tzinfo=UTC))
    load(now_utc())
    db.session.commit()
    plan = {demo_title(s["title"]) for s in chamber_data()["sample_events"]}
    for event in db.session.scalars(select(Event).where(Event.title.in_(plan))):
        day = to_local(event.starts_at).date()
        assert open_day(day) == day, (event.title, day)
