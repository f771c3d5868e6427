"""A frame without a waitlist that reads full refuses at once, over the API as members call it:
nothing written, no mail planned, and no wait on the frame's row (the crowd after a sell-out
must not queue behind whoever holds it)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy.event
from sqlalchemy import func, select, text

from booking.accounts.services import issue_api_token
from booking.events.models import Registration
from booking.extensions import db
from booking.notifications.models import OutboxMessage
from tests.conftest import make_app


def _bearer(user) -> dict:
    token = issue_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _register(client, event, headers):
    return client.post(
        f"/api/v1/events/{event.id}/registrations",
        json={"frame": event.frames[0].id, "answers": {}},
        headers=headers,
    )


def _rows() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(Registration)),
        db.session.scalar(select(func.count()).select_from(OutboxMessage)),
    )


def test_a_sold_out_frame_refuses_writing_nothing(client, make_event, make_user):
    event = make_event(capacity=1, waitlist=False)
    first = make_user("member")
    assert _register(client, event, _bearer(first)).status_code == 201
    before = _rows()

    answer = _register(client, event, _bearer(make_user("member")))

    assert answer.status_code == 409
    assert answer.json["error"]["code"] == "full"
    assert _rows() == before  # no registration, no mail


def test_a_sold_out_answer_runs_no_write_to_roll_back(client, make_event, make_user):
    """The refusal is decided from the seats the request read: no registration and no mail
    are written first only to be rolled back (what the crowd after a sell-out costs)."""
    event = make_event(capacity=1, waitlist=False)
    assert _register(client, event, _bearer(make_user("member"))).status_code == 201
    headers, statements = _bearer(make_user("member")), []

    def seen(_conn, _cursor, statement, *_rest):
        words = statement.split()
        if words and words[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            statements.append(" ".join(words[:3]))

    sqlalchemy.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        answer = _register(client, event, headers)
    finally:
        sqlalchemy.event.remove(db.engine, "before_cursor_execute", seen)

    assert answer.status_code == 409
    touched = ("registrations", "outbox_messages", "frames")
    assert not [s for s in statements if any(table in s for table in touched)], statements


def test_the_person_already_registered_hears_that_first_on_a_sold_out_frame(
    client, make_event, make_user
):
    event = make_event(capacity=1, waitlist=False)
    headers = _bearer(make_user("member"))
    assert _register(client, event, headers).status_code == 201

    again = _register(client, event, headers)

    assert again.status_code == 409
    assert again.json["error"]["code"] == "already_registered"


@pytest.mark.postgres
def test_a_sold_out_frame_answers_while_its_row_is_locked(
    client, make_event, make_user, postgres_url
):
    """Staff hold the frame's row (an edit not committed yet): the sell-out's crowd is answered
    meanwhile, by another worker. A regression waits on the row until staff's transaction
    ends, which here comes only after the bound below has failed the test."""
    event = make_event(capacity=1, waitlist=False)
    assert _register(client, event, _bearer(make_user("member"))).status_code == 201
    headers, frame_id = _bearer(make_user("member")), event.frames[0].id
    path, body = f"/api/v1/events/{event.id}/registrations", {"frame": frame_id, "answers": {}}
    worker, answers = make_app(postgres_url).test_client(), []
    with db.engine.connect() as staff:
        staff.execute(text("UPDATE frames SET name = name || ' ' WHERE id = :id"), {"id": frame_id})
        request = threading.Thread(
            target=lambda: answers.append(worker.post(path, json=body, headers=headers))
        )
        request.start()
        request.join(20)  # a bound on a hang, not a pause: a quick answer ends the wait at once
        answered = not request.is_alive()
        staff.rollback()
    request.join()
    assert answered, "the registration waited on the frame's row lock"
    assert answers[0].status_code == 409
    assert answers[0].get_json()["error"]["code"] == "full"
