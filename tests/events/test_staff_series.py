"""Series (連続講座) from the staff page: add, move and cancel one session; each change is
announced and moves calendar entries as an event's change of time does."""

from datetime import timedelta

from sqlalchemy import select

from booking.calendars.registration_items import registration_items
from booking.events.models import Event, EventSession, Registration
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.notifications.models import OutboxMessage
from booking.timefmt import as_utc, now_utc, to_local
from tests.conftest import login


def _local(dt):
    return to_local(dt).strftime("%Y-%m-%dT%H:%M")


def _series(make_event, n=3):
    event = make_event(days=7)
    start = as_utc(event.starts_at).replace(second=0, microsecond=0)
    event.starts_at = start
    for i in range(n):
        s = start + timedelta(days=7 * i)
        event.sessions.append(EventSession(title=f"第{i + 1}回", starts_at=s,
                                           ends_at=s + timedelta(hours=2)))  # fmt: skip
    event.ends_at = start + timedelta(days=7 * (n - 1), hours=2)
    db.session.commit()
    return event


def _register(user, event):
    reg = register_for_frame(user, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    return reg


def _changed_mail(reg):
    db.session.expire_all()
    reg = db.session.get(Registration, reg.id)
    return db.session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.dedupe_key == f"registration:{reg.id}:changed:{reg.sequence}"
        )
    )


def _version(event):
    db.session.expire_all()
    return db.session.get(Event, event.id).version


def test_move_a_session_notifies_and_moves_the_calendar_entry(staff_client, make_event, member):
    event = _series(make_event)
    reg = _register(member, event)
    second = event.sessions[1]
    page = staff_client.get(f"/staff/events/{event.id}/sessions")
    assert page.status_code == 200 and "第2回" in page.get_data(as_text=True)
    new_start = as_utc(second.starts_at) + timedelta(days=1, hours=3)
    response = staff_client.post(f"/staff/events/{event.id}/sessions/{second.id}/edit", data={
        "title": "第2回（延期）", "starts_at": _local(new_start),
        "ends_at": _local(new_start + timedelta(hours=2)), "version": str(event.version),
    })  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    mail = _changed_mail(reg)
    assert mail is not None and mail.invite == "REQUEST" and mail.context["change"] == "sessions"
    reg = db.session.get(Registration, reg.id)
    items = {i.id: i for i in registration_items(reg)}
    moved = items[f"{reg.id}-{second.id}"]
    assert as_utc(moved.starts_at) == new_start and "第2回（延期）" in moved.summary
    assert moved.sequence == reg.sequence + reg.event.sequence >= 2
    audit = staff_client.get(f"/staff/events/{event.id}/audit").get_data(as_text=True)
    assert "開催回の変更" in audit  # kept in the staff audit log, before and after


def test_add_a_session_extends_the_event_and_notifies(staff_client, make_event, member):
    event = _series(make_event, n=2)
    reg = _register(member, event)
    start = as_utc(event.ends_at) + timedelta(days=7)
    response = staff_client.post(f"/staff/events/{event.id}/sessions", data={
        "title": "補講", "starts_at": _local(start), "ends_at": _local(start + timedelta(hours=1)),
        "version": str(event.version),
    })  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert [s.title for s in event.sessions] == ["第1回", "第2回", "補講"]
    assert as_utc(event.ends_at) == start + timedelta(hours=1)
    assert _changed_mail(reg) is not None
    assert len(registration_items(db.session.get(Registration, reg.id))) == 3


def test_a_single_event_becomes_a_series_when_a_session_is_added(staff_client, make_event):
    event = make_event(days=7)
    first_start = as_utc(event.starts_at).replace(second=0, microsecond=0)
    event.starts_at = first_start
    db.session.commit()
    start = first_start + timedelta(days=7)
    staff_client.post(f"/staff/events/{event.id}/sessions", data={
        "starts_at": _local(start), "ends_at": _local(start + timedelta(hours=2)),
        "version": str(event.version),
    })  # fmt: skip
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert [as_utc(s.starts_at) for s in event.sessions] == [first_start, start]
    assert event.is_series


def test_cancel_a_session_notifies_and_drops_it_from_the_calendar(staff_client, make_event, member):
    event = _series(make_event)
    reg = _register(member, event)
    third_id = event.sessions[2].id
    response = staff_client.post(f"/staff/events/{event.id}/sessions/{third_id}/cancel",
                                 data={"version": str(event.version)})  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert [s.title for s in event.sessions] == ["第1回", "第2回"]
    assert as_utc(event.ends_at) == as_utc(event.sessions[1].ends_at)
    assert _changed_mail(reg) is not None
    ids = [i.id for i in registration_items(db.session.get(Registration, reg.id))]
    assert f"{reg.id}-{third_id}" not in ids and len(ids) == 2


def test_moving_a_session_into_the_past_is_refused_with_the_reason(staff_client, make_event):
    event = _series(make_event)
    second = event.sessions[1]
    past = now_utc() - timedelta(days=1)
    response = staff_client.post(f"/staff/events/{event.id}/sessions/{second.id}/edit", data={
        "title": "第2回", "starts_at": _local(past), "ends_at": _local(past + timedelta(hours=2)),
        "version": str(event.version),
    })  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "過去の日時には設定できません。" in html
    assert _local(past) in html  # what was typed is kept
    db.session.expire_all()
    assert as_utc(db.session.get(EventSession, second.id).starts_at) > now_utc()


def test_a_started_session_stays(staff_client, make_event, clock):
    event = _series(make_event, n=2)
    first = event.sessions[0]
    clock.move_to(as_utc(first.starts_at) + timedelta(minutes=5))
    response = staff_client.post(f"/staff/events/{event.id}/sessions/{first.id}/cancel",
                                 data={"version": str(event.version)})  # fmt: skip
    assert response.status_code == 303
    follow = staff_client.get(f"/staff/events/{event.id}/sessions").get_data(as_text=True)
    assert "開始済みの回は中止できません。" in follow
    db.session.expire_all()
    assert len(db.session.get(Event, event.id).sessions) == 2


def test_the_last_session_is_not_cancelled_alone(staff_client, make_event):
    event = _series(make_event, n=2)
    first_id, second_id = (s.id for s in event.sessions)
    staff_client.post(f"/staff/events/{event.id}/sessions/{second_id}/cancel",
                      data={"version": str(event.version)})  # fmt: skip
    response = staff_client.post(f"/staff/events/{event.id}/sessions/{first_id}/cancel",
                                 data={"version": str(_version(event))})  # fmt: skip
    assert response.status_code == 303
    follow = staff_client.get(f"/staff/events/{event.id}/sessions").get_data(as_text=True)
    assert "最後の1回は中止できません。" in follow
    assert [s.id for s in db.session.get(Event, event.id).sessions] == [first_id]


def test_a_stale_session_change_is_refused(staff_client, make_event):
    event = _series(make_event)
    old = event.version
    third_id, second = event.sessions[2].id, event.sessions[1]
    staff_client.post(f"/staff/events/{event.id}/sessions/{third_id}/cancel",
                      data={"version": str(old)})  # fmt: skip
    start = as_utc(second.starts_at) + timedelta(hours=1)
    response = staff_client.post(f"/staff/events/{event.id}/sessions/{second.id}/edit", data={
        "title": "x", "starts_at": _local(start), "ends_at": _local(start + timedelta(hours=1)),
        "version": str(old),
    })  # fmt: skip
    assert response.status_code >= 400
    assert "他の職員が変更しました" in response.get_data(as_text=True)


def test_another_units_sessions_answer_404(client, make_event, make_user):
    event = _series(make_event)
    event.unit_id = db.session.scalar(select(Event.unit_id).where(Event.id == event.id))
    login(client, make_user("staff", unit_key="branch:minato"))
    assert client.get(f"/staff/events/{event.id}/sessions").status_code == 404
    s = event.sessions[0]
    assert client.post(f"/staff/events/{event.id}/sessions/{s.id}/cancel").status_code == 404
