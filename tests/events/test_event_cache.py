"""A worker's copy of an event for registering (`event_cache`) is never stale: every change of
what registering reads reaches the next registration, whoever made it (this worker's API,
another worker, raw SQL), and the seats are read afresh every time."""

from __future__ import annotations

from sqlalchemy import event as sa_event
from sqlalchemy import select, text

from booking.extensions import db
from booking.notifications.models import OutboxMessage
from booking.notifications.reminders import save_reminder_rule
from booking.timefmt import now_utc
from tests.conftest import make_app
from tests.events.test_api import auth, event_body


def _register(client, event: dict, frame: int, user, **body):
    return client.post(
        f"/api/v1/events/{event['id']}/registrations",
        json={"frame": event["frames"][frame]["id"], "answers": {}, **body},
        headers=auth(user),
    )


def _published(client, staff, **over) -> dict:
    response = client.post("/api/v1/events", json=event_body(**over), headers=auth(staff))
    assert response.status_code == 201, response.json
    return response.json


def _statements_of(call):
    """(what `call` answered, the statements it ran)."""
    statements: list[str] = []

    def seen(conn, cursor, statement, *rest):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", seen)
    try:
        answer = call()
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", seen)
    return answer, statements


def _loads_the_event(statements: list[str]) -> bool:
    # The full read joins the questions and sessions; the narrow one reads version and seats.
    return any("event_questions" in s and "FROM events" in s for s in statements)


def test_the_second_registration_reads_only_the_version_and_the_seats(client, staff, make_user):
    event = _published(client, staff)
    _, first = _statements_of(lambda: _register(client, event, 1, make_user("member")))
    _, second = _statements_of(lambda: _register(client, event, 1, make_user("member")))
    assert _loads_the_event(first)
    assert not _loads_the_event(second)
    assert any("cache_version" in s for s in second)


def test_an_event_made_members_only_reaches_the_next_registration(client, staff, make_user):
    event = _published(client, staff)
    assert _register(client, event, 1, make_user("guest")).status_code == 201
    patched = client.patch(
        f"/api/v1/events/{event['id']}", json={"member_only": True}, headers=auth(staff)
    )
    assert patched.status_code == 200
    assert _register(client, event, 1, make_user("guest")).status_code == 404


def test_an_attestation_asked_for_reaches_the_next_registration(client, staff, make_user):
    event = _published(client, staff)
    assert _register(client, event, 1, make_user("member")).status_code == 201
    patched = client.patch(
        f"/api/v1/events/{event['id']}", json={"attestation": True}, headers=auth(staff)
    )
    assert patched.status_code == 200
    refused = _register(client, event, 0, make_user("member"))
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "invalid", refused.json
    assert "健康状態" in refused.json["error"]["message"]


def test_a_required_question_written_by_sql_reaches_the_next_registration(client, staff, make_user):
    # Staff cannot change the questions once people registered; another writer still can.
    event = _published(client, staff)
    assert _register(client, event, 1, make_user("member")).status_code == 201
    db.session.execute(
        text("INSERT INTO event_questions (event_id, position, label, kind, choices, required) "
             "VALUES (:id, 0, '業種', 'text', '[]', :yes)"),
        {"id": event["id"], "yes": True},
    )  # fmt: skip
    db.session.commit()
    refused = _register(client, event, 1, make_user("member"))
    assert refused.status_code == 422
    assert "業種" in refused.json["error"]["message"], refused.json


def test_a_frame_closed_reaches_the_next_registration(client, staff, make_user):
    event = _published(client, staff)
    assert _register(client, event, 1, make_user("member")).status_code == 201
    frame = event["frames"][1]["id"]
    closed = client.patch(
        f"/api/v1/events/{event['id']}/frames/{frame}", json={"closed": True}, headers=auth(staff)
    )
    assert closed.status_code == 200, closed.json
    refused = _register(client, event, 1, make_user("member"))
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "window_closed")


def test_a_change_by_another_worker_or_by_sql_reaches_this_worker(
    client, staff, make_user, database_url
):
    event = _published(client, staff)
    assert _register(client, event, 1, make_user("guest")).status_code == 201
    other = make_app(database_url).test_client()
    changed = other.patch(
        f"/api/v1/events/{event['id']}", json={"member_only": True}, headers=auth(staff)
    )
    assert changed.status_code == 200, changed.json
    assert _register(client, event, 1, make_user("guest")).status_code == 404
    db.session.execute(
        text("UPDATE events SET member_only = :no WHERE id = :id"), {"id": event["id"], "no": False}
    )
    db.session.commit()
    assert _register(client, event, 1, make_user("guest")).status_code == 201


def test_the_seats_are_read_afresh_while_the_copy_is_kept(client, staff, make_user, database_url):
    event = _published(client, staff)  # the venue frame has one seat
    assert _register(client, event, 1, make_user("member")).status_code == 201  # copy kept
    other = make_app(database_url).test_client()
    taken = _register(other, event, 0, make_user("member"))
    assert taken.json["status"] == "confirmed"
    late = make_user("member")
    answer, statements = _statements_of(lambda: _register(client, event, 0, late))
    assert not _loads_the_event(statements)
    assert answer.json["status"] == "waitlisted"


def test_a_reminder_rule_added_reaches_the_next_registrations_mail(client, staff, make_user):
    event = _published(client, staff)
    assert _register(client, event, 1, make_user("member")).status_code == 201
    save_reminder_rule(event["id"], now_utc(), anchor="start", direction="before",
                       duration="P3D", subject="三日前のご案内")  # fmt: skip
    db.session.commit()
    second = _register(client, event, 1, make_user("member"))
    assert second.status_code == 201
    keys = db.session.scalars(
        select(OutboxMessage.dedupe_key).where(
            OutboxMessage.dedupe_key.contains(f"registration:{second.json['id']}")
        )
    )
    assert any(key.startswith("reminder:") and key.endswith(":P3D") for key in keys)


def _versions(event_id: int) -> tuple[int, frozenset]:
    """The event's version and its frames' (id, version): what a worker's copy is keyed by."""
    event = db.session.execute(
        text("SELECT cache_version FROM events WHERE id = :id"), {"id": event_id}
    ).scalar_one()
    frames = db.session.execute(
        text("SELECT id, cache_version FROM frames WHERE event_id = :id"), {"id": event_id}
    )
    return event, frozenset(tuple(row) for row in frames)


def test_every_change_registering_reads_changes_a_version_and_a_seat_does_not(
    client, staff, make_user
):
    event = _published(client, staff)
    frame, eid = event["frames"][0]["id"], event["id"]
    changes = [
        ("UPDATE events SET summary = 'x' WHERE id = :e", True),
        ("UPDATE frames SET taken = 1 WHERE id = :f", False),
        ("UPDATE frames SET price_label = '無料' WHERE id = :f", True),
        ("UPDATE frames SET capacity = 5, taken = 0 WHERE id = :f", True),
        ("INSERT INTO frames (event_id, position, name, mode, audience, capacity, taken, "
         "price_label, lottery, waitlist, lottery_weighting) "
         "VALUES (:e, 9, '追加枠', 'online', 'all', 10, 0, '', :no, :yes, '')", True),
        ("INSERT INTO event_sessions (event_id, title, starts_at, ends_at) "
         "SELECT id, '第2回', starts_at, ends_at FROM events WHERE id = :e", True),
        ("UPDATE event_sessions SET title = '第二回' WHERE event_id = :e", True),
        ("DELETE FROM event_sessions WHERE event_id = :e", True),
        ("INSERT INTO survey_questions (event_id, position, label, kind, choices, required) "
         "VALUES (:e, 0, '満足度', 'scale', '[]', :no)", True),
        ("DELETE FROM survey_questions WHERE event_id = :e", True),
        ("INSERT INTO reminder_rules (event_id, anchor, direction, duration, active, subject, "
         "body, subject_en, body_en, created_at, updated_at) "
         "VALUES (:e, 'start', 'before', 'P2D', :yes, '', '', '', '', :now, :now)", True),
        ("DELETE FROM reminder_rules WHERE event_id = :e", True),
        ("DELETE FROM frames WHERE id = :f", True),
    ]  # fmt: skip
    for sql, changes_it in changes:
        before = _versions(eid)
        db.session.execute(
            text(sql), {"e": eid, "f": frame, "yes": True, "no": False, "now": now_utc()}
        )
        db.session.commit()
        assert (_versions(eid) != before) is changes_it, sql


def test_a_frame_changed_leaves_its_events_row_alone(client, staff):
    # Its trigger writes the frame's own row only: no lock on the event a staff edit may hold.
    event = _published(client, staff)
    before = _versions(event["id"])
    db.session.execute(
        text("UPDATE frames SET capacity = 7 WHERE id = :f"), {"f": event["frames"][1]["id"]}
    )
    db.session.commit()
    after = _versions(event["id"])
    assert after[0] == before[0] and after[1] != before[1]
