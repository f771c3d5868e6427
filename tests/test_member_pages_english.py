"""A member's pages in English name reference data in English (issue 13): branches and their
wards, desk themes, public calendars, the pass's frame, a priced event's mail and the
registration's labels."""

from __future__ import annotations

import re

from sqlalchemy import select

from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.org.models import Unit
from booking.timefmt import now_utc
from tests.conftest import login
from tests.factories import make_chiyoda_desk_advisor


def _english(client):
    client.set_cookie("lang", "en")
    return client


def test_branch_pages_in_english_name_the_branch_its_ward_and_desk_themes_in_english(
    app, client, make_user
):
    from booking.consultations.catalogue import theme_by_slug

    make_chiyoda_desk_advisor(make_user)
    theme = theme_by_slug("management")
    page = _english(client).get("/branches/chiyoda").get_data(as_text=True)
    assert "Chiyoda Branch" in page and "Chiyoda City" in page
    assert "千代田支部" not in page and "千代田区" not in page
    assert theme.name_en in page and f">{theme.name}<" not in page
    index = client.get("/branches/").get_data(as_text=True)
    assert "Minato Branch" in index and "Minato City" in index
    assert "港支部" not in index and "港区" not in index
    client.set_cookie("lang", "ja")
    page = client.get("/branches/chiyoda").get_data(as_text=True)
    assert "千代田支部" in page and "千代田区の会員" in page and f">{theme.name}<" in page


def test_the_public_calendars_page_in_english_names_branches_and_sections_in_english(client):
    page = _english(client).get("/calendar/").get_data(as_text=True)
    for unit in db.session.scalars(select(Unit).where(Unit.kind.in_(("branch", "section")))):
        assert unit.name_en in page and unit.name not in page, unit.name


def test_the_pass_in_english_names_a_default_frame_in_english(app, member, make_event):
    event = make_event(frames=[dict(name="会場来場", capacity=10, mode="in_person")])
    reg = register_for_frame(member, event.id, event.frames[0].id, {}, now_utc())
    member.locale = "en"  # a signed-in person's own language wins over the cookie
    db.session.commit()
    client = app.test_client()
    login(client, member)
    page = _english(client).get(f"/mypage/passes/{reg.id}").get_data(as_text=True)
    assert "Visit in person" in page and "会場来場" not in page


def test_an_english_registration_reads_event_not_events_and_its_mail_gives_the_fee_in_english(
    client, member, make_event, sent_mail
):
    event = make_event(price_label="3,000円（税込）")
    member.locale = "en"
    db.session.commit()
    assert login(client, member).status_code == 302
    _english(client)
    confirm = client.post(
        f"/events/{event.id}/register", data={"frame": str(event.frames[0].id)}
    ).get_data(as_text=True)
    assert "<dt>Event</dt>" in confirm and "<dt>Events</dt>" not in confirm
    assert ">Events</a></li>" in confirm  # the menu still reads "Events"
    done = client.post(
        f"/events/{event.id}/register",
        data={"frame": str(event.frames[0].id), "confirmed": "1"},
    )
    assert done.status_code == 302
    text = (
        next(m for m in sent_mail() if m["To"].addresses[0].addr_spec == member.email)
        .get_body(("plain",))
        .get_content()
    )
    assert "¥3,000 (incl. tax)" in text and "3,000円" not in text


def test_the_consultation_place_in_english_names_channel_branch_and_ward_in_english(app):
    from flask_babel import refresh

    from booking.consultations.catalogue import load_catalogue
    from booking.consultations.places import booking_place
    from booking.demo import chamber_data

    load_catalogue(chamber_data())
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        refresh()
        where = booking_place("branch", "chiyoda", None)
        assert where["place"].startswith("Chiyoda Branch") and "(Chiyoda City)" in where["place"]
        assert where["channel"] and not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", where["channel"])
    with app.test_request_context():
        refresh()
        where = booking_place("branch", "chiyoda", None)
        assert where["place"].startswith("千代田支部 相談窓口（千代田区）")


def test_the_company_page_in_english_offers_sections_by_their_english_names(member_client, member):
    member.locale = "en"
    db.session.commit()
    page = member_client.get("/mypage/company").get_data(as_text=True)
    sections = list(db.session.scalars(select(Unit).where(Unit.kind == "section")))
    assert sections and all(u.name_en in page for u in sections)
    assert not any(f">{u.name}<" in page or f"> {u.name}<" in page for u in sections)
