"""The delivery log as staff read it: recipient, subject, status in words, time and the
booking it concerns (linked) — never template names or dedupe keys; filtered by status and
by event; reached from the event's staff page.

Real registrations (`register_for_frame`) plan the real mail; the pages are opened as staff.
"""

from __future__ import annotations

import re

from sqlalchemy import select, update

from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.notifications.models import OutboxMessage
from booking.timefmt import now_utc
from tests.conftest import login


def _shown(html: str) -> str:
    """What a person reads (tags and attribute values left out)."""
    return re.sub(r"<[^>]*>", " ", html)


def _register(event, user):
    reg = register_for_frame(user, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    return reg


def test_a_registration_mail_shows_who_what_state_and_the_booking(
    staff_client, make_event, make_user
):  # fmt: skip
    event = make_event(title="事業承継セミナー", days=10)
    member = make_user("member", email="hanako@example.jp", family_name="佐藤", given_name="花子")
    reg = _register(event, member)
    page = staff_client.get("/staff/outbox/").get_data(as_text=True)
    text = _shown(page)
    assert "hanako@example.jp" in text
    assert "【東京商工会議所】" in text and "事業承継セミナー" in text  # the subject as sent
    assert "送信待ち" in text
    assert f"イベント申込 {reg.reference}" in text and "佐藤 花子" in text
    assert f'href="/staff/events/{event.id}/attendees"' in page
    assert "1日前のリマインダー" in text and "1時間前のリマインダー" in text
    keys = db.session.scalars(select(OutboxMessage.dedupe_key)).all()
    templates = db.session.scalars(select(OutboxMessage.template)).all()
    for key in keys:
        assert key not in page
    for name in set(templates):
        assert name not in text
    assert "P1D" not in text and "registration:" not in page


def test_statuses_read_as_words_and_filter_the_list(staff_client, make_message):
    waiting = make_message(recipient="waiting@example.jp")
    retrying = make_message(recipient="retrying@example.jp")
    stopped = make_message(recipient="stopped@example.jp")
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == retrying)
        .values(attempts=1, last_error="SMTP 451 try later")
    )  # fmt: skip
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == stopped).values(status="cancelled")
    )
    db.session.commit()
    text = _shown(staff_client.get("/staff/outbox/").get_data(as_text=True))
    for words in ("送信待ち", "失敗・再試行", "取りやめ", "送信済み", "送信失敗"):
        assert words in text
    retry_page = _shown(staff_client.get("/staff/outbox/?status=retrying").get_data(as_text=True))
    assert "retrying@example.jp" in retry_page and "SMTP 451 try later" in retry_page
    assert "waiting@example.jp" not in retry_page and "stopped@example.jp" not in retry_page
    pending = _shown(staff_client.get("/staff/outbox/?status=pending").get_data(as_text=True))
    assert "waiting@example.jp" in pending and "retrying@example.jp" not in pending
    cancelled = _shown(staff_client.get("/staff/outbox/?status=cancelled").get_data(as_text=True))
    assert "stopped@example.jp" in cancelled and "waiting@example.jp" not in cancelled
    assert waiting


def test_the_log_filters_by_event(staff_client, make_event, make_user):
    first = make_event(title="一つ目の会")
    second = make_event(title="二つ目の会")
    _register(first, make_user("member", email="one@example.jp"))
    _register(second, make_user("member", email="two@example.jp"))
    page = staff_client.get(f"/staff/outbox/?event={first.id}").get_data(as_text=True)
    assert "one@example.jp" in page and "two@example.jp" not in page
    assert f'<option value="{first.id}" selected>' in page
    # The status tabs keep the event.
    assert f"/staff/outbox/?status=pending&amp;event={first.id}" in page
    everything = staff_client.get("/staff/outbox/").get_data(as_text=True)
    assert "one@example.jp" in everything and "two@example.jp" in everything


def test_the_event_filter_lists_all_of_that_events_mail_only(
    staff_client, make_event, make_user
):  # fmt: skip
    first = make_event(title="一つ目の会")
    second = make_event(title="二つ目の会")
    reg = _register(first, make_user("member"))
    _register(second, make_user("member"))
    _register(second, make_user("member"))
    page = staff_client.get(f"/staff/outbox/?event={first.id}").get_data(as_text=True)
    ids = db.session.scalars(
        select(OutboxMessage.id).where(
            OutboxMessage.about.in_((f"registration:{reg.id}", f"attendee:{reg.id}"))
        )
    ).all()
    assert sorted(int(i) for i in re.findall(r'<tr id="message-(\d+)"', page)) == sorted(ids)
    assert len(ids) >= 3  # the confirmation and two reminders at least


def test_branch_staff_cannot_read_another_units_event_mail(client, make_user, make_event):
    event = make_event(unit="hq")
    _register(event, make_user("member"))
    login(client, make_user("staff", unit_key="branch:chiyoda"))
    assert client.get(f"/staff/outbox/?event={event.id}").status_code == 404


def test_an_unknown_or_hostile_event_filter_is_404_or_ignored(staff_client):
    assert staff_client.get("/staff/outbox/?event=999999").status_code == 404
    assert staff_client.get("/staff/outbox/?event=abc").status_code == 200
    assert staff_client.get("/staff/outbox/?event=99999999999999999999").status_code == 200


def test_the_events_staff_page_links_to_its_reminders_and_its_mail(staff_client, make_event):
    event = make_event()
    page = staff_client.get(f"/staff/events/{event.id}").get_data(as_text=True)
    assert f'href="/staff/outbox/events/{event.id}/reminders"' in page
    assert f'href="/staff/outbox/?event={event.id}"' in page


def test_the_log_in_english(staff_client, make_event, make_user):
    event = make_event(title="DX Seminar")
    _register(event, make_user("member"))
    staff_client.post("/lang/en", data={"next": "/"})
    text = _shown(staff_client.get("/staff/outbox/").get_data(as_text=True))
    assert "Pending" in text and "1 day before" in text
    assert "Event registration" in text


def test_an_empty_log_says_what_belongs_there(staff_client):
    text = _shown(staff_client.get("/staff/outbox/").get_data(as_text=True))
    assert "該当するメールはありません。" in text and "リマインダー" in text


def test_branch_staff_see_their_units_mail_only(client, make_user, make_event, make_message):
    ours = make_event(title="千代田の会", unit="branch:chiyoda")
    theirs = make_event(title="本部の会", unit="hq")
    _register(ours, make_user("member", email="ours@example.jp"))
    _register(theirs, make_user("member", email="theirs@example.jp"))
    account_mail = make_message(recipient="account@example.jp")
    login(client, make_user("staff", unit_key="branch:chiyoda"))
    text = _shown(client.get("/staff/outbox/").get_data(as_text=True))
    assert "ours@example.jp" in text
    assert "theirs@example.jp" not in text and "account@example.jp" not in text
    assert client.post(f"/staff/outbox/{account_mail}/cancel").status_code == 404
    db.session.expire_all()
    assert db.session.get(OutboxMessage, account_mail).status == "pending"


def test_hq_staff_see_the_whole_log(staff_client, make_user, make_event, make_message):
    _register(make_event(unit="branch:chiyoda"), make_user("member", email="ours@example.jp"))
    make_message(recipient="account@example.jp")
    text = _shown(staff_client.get("/staff/outbox/").get_data(as_text=True))
    assert "ours@example.jp" in text and "account@example.jp" in text
