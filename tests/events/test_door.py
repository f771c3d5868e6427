"""The door: check-in on the event's days only (local dates), undoing a mistaken check-in (kept
in the audit log), and the health attestation shown when the event asks for it."""

from __future__ import annotations

from datetime import datetime, timedelta

from booking.events.models import StaffAction
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import as_utc, now_utc
from tests.clock import TOKYO


def _register(user, event, attestation=False):
    reg = register_for_frame(user, event.id, event.frames[0].id, {}, now_utc(), attestation)
    db.session.commit()
    return reg


def _scan(client, event, reg):
    return client.post(f"/staff/events/{event.id}/checkin", data={"token": reg.pass_token})


def test_check_in_before_the_event_day_is_refused_with_the_reason(
    staff_client, make_event, member, clock
):
    event = make_event(days=7)  # Wed 10 June 2026; the tests' clock says Wed 3 June
    reg = _register(member, event)
    page = staff_client.get(f"/staff/events/{event.id}/checkin").get_data(as_text=True)
    assert "開催日（2026年6月10日(水)）にのみ" in page and "本日は2026年6月3日(水)" in page
    html = _scan(staff_client, event, reg).get_data(as_text=True)
    assert "本日は2026年6月3日(水)です" in html and reg.checked_in_at is None
    assert db.session.query(StaffAction).count() == 0


def test_the_event_day_is_the_local_date_not_the_utc_one(staff_client, make_event, member, clock):
    event = make_event(days=7)
    reg = _register(member, event)
    # 00:10 in Tokyo on the event's day is still the day before in UTC.
    day = as_utc(event.starts_at).astimezone(TOKYO).date()
    clock.move_to(datetime(day.year, day.month, day.day, 0, 10, tzinfo=TOKYO))
    assert "受付しました" in _scan(staff_client, event, reg).get_data(as_text=True)
    assert reg.checked_in_at is not None


def test_check_in_the_day_after_is_refused(staff_client, make_event, member, clock):
    event = make_event(days=7)
    reg = _register(member, event)
    clock.move_to(as_utc(event.ends_at) + timedelta(days=1))
    assert "開催日" in _scan(staff_client, event, reg).get_data(as_text=True)
    assert reg.checked_in_at is None


def test_undoing_a_check_in_is_kept_in_the_audit_log(
    staff_client, staff, make_event, member, clock
):
    event = make_event()
    reg = _register(member, event)
    clock.move_to(as_utc(event.starts_at) - timedelta(minutes=30))
    _scan(staff_client, event, reg)
    page = staff_client.get(f"/staff/events/{event.id}/checkin").get_data(as_text=True)
    assert "受付を取り消す" in page and reg.reference in page
    response = staff_client.post(
        f"/staff/events/{event.id}/checkin/{reg.id}/undo",
        data={"reason": "別の方の参加証を読み取ったため"},
    )
    assert response.status_code == 302 and reg.checked_in_at is None
    actions = db.session.query(StaffAction).order_by(StaffAction.id).all()
    assert [a.action for a in actions] == ["check_in", "undo_check_in"]
    assert actions[1].reason == "別の方の参加証を読み取ったため" and actions[1].actor_id == staff.id
    audit = staff_client.get(f"/staff/events/{event.id}/audit").get_data(as_text=True)
    assert "受付の取り消し" in audit and "別の方の参加証を読み取ったため" in audit
    # Checked in again afterwards, as a new scan.
    assert "受付しました" in _scan(staff_client, event, reg).get_data(as_text=True)


def test_undoing_a_check_in_that_never_happened_is_refused(staff_client, make_event, member):
    event = make_event()
    reg = _register(member, event)
    response = staff_client.post(
        f"/staff/events/{event.id}/checkin/{reg.id}/undo", data={"reason": ""}
    )
    assert response.status_code == 422 and "受付されていません" in response.get_data(as_text=True)


def test_the_door_shows_the_health_attestation_when_the_event_asks_for_it(
    staff_client, make_event, make_user, clock
):  # fmt: skip
    event = make_event(attestation=True)
    agreed = _register(make_user("member"), event, attestation=True)
    clock.move_to(as_utc(event.starts_at))
    html = _scan(staff_client, event, agreed).get_data(as_text=True)
    assert "健康状態の確認: 同意済み" in html
    plain = make_event(title="確認なしの会")
    other = _register(make_user("member"), plain)
    clock.move_to(as_utc(plain.starts_at))
    assert "健康状態の確認" not in _scan(staff_client, plain, other).get_data(as_text=True)
