"""Reasonable accommodation (合理的配慮) on consultation booking: an optional part of the
intake, confirmed, kept with the booking, read by the member and the advisor only."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from booking.consultations.catalogue import theme_by_slug
from booking.consultations.models import Consultation
from booking.consultations.slots import free_slots
from booking.extensions import db
from booking.timefmt import now_utc, to_local
from tests.conftest import login


def _slot(advisor):
    now = now_utc()
    return free_slots(theme_by_slug("management"), now + timedelta(days=10),
                      now + timedelta(days=17), now, advisor_id=advisor.id,
                      channel_slug="online")[0]  # fmt: skip


def test_booking_with_accommodation_reaches_the_advisor_and_nobody_else(
    app, client, member, make_user, make_advisor
):  # fmt: skip
    advisor = make_advisor()
    slot = _slot(advisor)
    login(client, member)
    data = {"theme": "management", "channel": "online", "branch": "any", "advisor": "any",
            "start": slot.start.isoformat(), "topic": "事業承継の相談",
            "accommodations": ["language"], "accommodation_note": "やさしい日本語でお願いします"}  # fmt: skip
    intake = client.get("/consultations/book/intake", query_string={
        k: v for k, v in data.items() if not k.startswith("accommodation")
    })  # fmt: skip
    assert "合理的配慮のご希望（任意）" in intake.get_data(as_text=True)
    confirm = client.post("/consultations/book/intake", data={**data, "action": "confirm"})
    page = confirm.get_data(as_text=True)
    assert "言語（やさしい日本語・英語など）" in page and "やさしい日本語でお願いします" in page
    assert (
        client.post("/consultations/book/intake", data={**data, "action": "book"}).status_code
        == 302
    )
    c = db.session.scalar(select(Consultation))
    assert (
        c.accommodations == ["language"] and c.accommodation_note == "やさしい日本語でお願いします"
    )
    assert "やさしい日本語でお願いします" in client.get(f"/consultations/{c.id}").get_data(
        as_text=True
    )

    desk = app.test_client()
    login(desk, advisor.user)
    day = to_local(slot.start).date().isoformat()
    schedule = desk.get("/consultations/desk/", query_string={"date": day})
    assert "やさしい日本語でお願いします" in schedule.get_data(as_text=True)

    other = app.test_client()
    login(other, make_user("member"))
    assert other.get(f"/consultations/{c.id}").status_code == 404
