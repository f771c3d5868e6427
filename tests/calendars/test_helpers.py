"""Helpers other domains use: the add-to-calendar macro and a booking's own .ics download."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from flask import render_template_string

from booking.calendars.responses import ics_download
from tests.calendars.conftest import JAPANESE_LONG
from tests.calendars.parsers import read_all

MACRO = (
    '{% from "calendars/_add.html" import add_to_calendar %}'
    "{{ add_to_calendar(ics_url, title, start, end, location=location) }}"
)


def test_add_to_calendar_offers_the_ics_and_a_prefilled_google_entry(app):
    start = datetime(2026, 6, 1, 5, 0, tzinfo=UTC)
    end = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
    with app.test_request_context("/"):
        html = render_template_string(MACRO, ics_url="/events/3.ics", title=JAPANESE_LONG,
                                      start=start, end=end, location="本部 会議室")  # fmt: skip
    assert 'href="/events/3.ics" download' in html
    assert "カレンダーに追加" in html
    google = html.split('href="')[2].split('"')[0].replace("&amp;", "&")
    query = parse_qs(urlsplit(google).query)
    assert query["action"] == ["TEMPLATE"]
    assert query["text"] == [JAPANESE_LONG]
    assert query["dates"] == ["20260601T050000Z/20260601T070000Z"]
    assert query["location"] == ["本部 会議室"]
    assert query["ctz"] == ["Asia/Tokyo"]


def test_a_booking_download_carries_the_join_url_and_is_an_attachment(app, make_item):
    item = make_item(kind="registration", id=8, summary=JAPANESE_LONG,
                     join_url="https://meet.example.jp/j/8")  # fmt: skip
    with app.test_request_context("/"):
        response = ics_download([item], "registration-8.ics", name="申込")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="registration-8.ics"'
    assert response.headers["Cache-Control"].startswith("private")
    body = response.get_data()
    assert b"meet.example.jp/j/8" in body.replace(b"\r\n ", b"")
    assert [s for _, _, s in read_all(body)] == [JAPANESE_LONG]
