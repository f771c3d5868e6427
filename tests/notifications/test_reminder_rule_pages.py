"""The reminder rules page speaks the staff member's language: 1日前, 終了の翌日, never P1D.

Through the page (the real form and service); the stored form stays ISO 8601.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.notifications.models import ReminderRule
from booking.notifications.offsets import label_words, offset_words
from tests.conftest import login


def _shown(html: str) -> str:
    """What a person reads on the page (tags and attribute values left out)."""
    return re.sub(r"<[^>]*>", " ", html)


def _checked(html: str) -> str:
    """The value of the timing choice the page has selected."""
    [value] = re.findall(r'<input checked id="timing-\d+"[^>]* value="([^"]+)"', html)
    return value


def _rules(event_id: int) -> list[tuple[str, str, str]]:
    db.session.expire_all()
    rows = db.session.scalars(select(ReminderRule).where(ReminderRule.event_id == event_id))
    return [(r.anchor, r.direction, r.duration) for r in rows]


@pytest.mark.parametrize(
    ("anchor", "direction", "duration", "ja", "en"),
    [
        ("start", "before", "P1D", "1日前", "1 day before"),
        ("start", "before", "PT1H", "1時間前", "1 hour before"),
        ("start", "before", "P3D", "3日前", "3 days before"),
        ("start", "before", "PT30M", "30分前", "30 minutes before"),
        ("start", "before", "P1DT2H", "1日2時間前", "1 day 2 hours before"),
        ("start", "before", "P1W", "7日前", "7 days before"),
        ("end", "after", "P1D", "終了の翌日", "the day after it ends"),
        ("end", "after", "PT1H", "終了の1時間後", "1 hour after it ends"),
        ("end", "after", "P3D", "終了の3日後", "3 days after it ends"),
        ("end", "before", "PT2H", "終了の2時間前", "2 hours before it ends"),
        ("start", "after", "PT15M", "開始の15分後", "15 minutes after it starts"),
        ("start", "after", "P1D", "開始の翌日", "the day after it starts"),
    ],
)
def test_an_offset_reads_as_staff_say_it(app, anchor, direction, duration, ja, en):
    from flask_babel import force_locale

    with app.test_request_context():
        with force_locale("ja"):
            assert offset_words(anchor, direction, duration) == ja
        with force_locale("en"):
            assert offset_words(anchor, direction, duration) == en


def test_a_rule_label_of_a_dedupe_key_reads_the_same(app):
    with app.test_request_context():
        assert label_words("P1D") == "1日前"
        assert label_words("end+P1D") == "終了の翌日"
        assert label_words("start-PT2H") == "2時間前"


def test_the_page_shows_the_configured_defaults_in_words(staff_client, make_event):
    event = make_event()
    page = staff_client.get(f"/staff/outbox/events/{event.id}/reminders").get_data(as_text=True)
    assert "標準のリマインダー（1日前、1時間前）" in page
    assert "P1D" not in _shown(page) and "PT1H" not in _shown(page)


def test_staff_choose_a_usual_timing_and_see_it_in_words(staff_client, make_event):
    event = make_event()
    url = f"/staff/outbox/events/{event.id}/reminders"
    form = staff_client.get(url).get_data(as_text=True)
    for words in ("1日前", "1時間前", "3日前", "終了の翌日", "終了の1時間後"):
        assert words in form
    assert _checked(form) == "start-before-P1D"  # a new rule starts at the usual one
    response = staff_client.post(url, data={"timing": "end-after-P1D", "subject": "アンケート"})
    assert response.status_code == 302
    assert _rules(event.id) == [("end", "after", "P1D")]  # stored as it always was
    page = staff_client.get(url).get_data(as_text=True)
    assert "<strong>終了の翌日</strong>" in page and "アンケート" in page
    assert "P1D" not in _shown(page)


def test_staff_give_any_other_timing_as_a_number_and_a_unit(staff_client, make_event):
    event = make_event()
    url = f"/staff/outbox/events/{event.id}/reminders"
    data = {"timing": "other", "amount": "２", "unit": "H", "when": "end-before"}
    assert staff_client.post(url, data=data).status_code == 302
    assert _rules(event.id) == [("end", "before", "PT2H")]
    assert "終了の2時間前" in staff_client.get(url).get_data(as_text=True)


def test_other_timing_without_a_number_is_refused_next_to_the_field(staff_client, make_event):
    event = make_event()
    url = f"/staff/outbox/events/{event.id}/reminders"
    response = staff_client.post(url, data={"timing": "other", "amount": "", "subject": "件名A"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="amount-error"' in page and "入力してください。" in page
    assert 'value="件名A"' in page
    assert _rules(event.id) == []


def test_an_unknown_timing_choice_is_refused(staff_client, make_event):
    event = make_event()
    url = f"/staff/outbox/events/{event.id}/reminders"
    response = staff_client.post(url, data={"timing": "start-before-P99Y"})
    assert response.status_code == 422 and _rules(event.id) == []


def test_editing_a_rule_shows_its_timing_as_it_was_chosen(staff_client, make_event):
    event = make_event()
    url = f"/staff/outbox/events/{event.id}/reminders"
    staff_client.post(url, data={"timing": "start-before-P3D"})
    staff_client.post(url, data={"timing": "other", "amount": "90", "unit": "M",
                                 "when": "start-before"})  # fmt: skip
    rules = db.session.scalars(select(ReminderRule).order_by(ReminderRule.id)).all()
    first = staff_client.get(f"{url}?rule={rules[0].id}").get_data(as_text=True)
    assert _checked(first) == "start-before-P3D"
    other = staff_client.get(f"{url}?rule={rules[1].id}").get_data(as_text=True)
    assert _checked(other) == "other" and 'value="90"' in other
    assert "1時間30分前" in other


def test_the_page_in_english(staff_client, make_event):
    event = make_event()
    url = f"/staff/outbox/events/{event.id}/reminders"
    staff_client.post(url, data={"timing": "end-after-P1D"})
    staff_client.post("/lang/en", data={"next": "/"})
    page = staff_client.get(url).get_data(as_text=True)
    assert "The day after it ends" in page and "1 day before" in page
    assert "P1D" not in _shown(page)


def test_branch_staff_cannot_open_another_units_reminders(client, make_user, make_event):
    event = make_event(unit="hq")
    login(client, make_user("staff", unit_key="branch:chiyoda"))
    assert client.get(f"/staff/outbox/events/{event.id}/reminders").status_code == 404
    response = client.post(f"/staff/outbox/events/{event.id}/reminders",
                           data={"timing": "start-before-P1D"})  # fmt: skip
    assert response.status_code == 404 and _rules(event.id) == []
