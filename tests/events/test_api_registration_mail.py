"""A registration over the API reads whether its event has a survey and reminder rules of
its own with the event (one statement): the mail it plans still follows both."""

from __future__ import annotations

from sqlalchemy import event as sa_event
from sqlalchemy import select

from booking.events.models import Event
from booking.events.surveys import add_question
from booking.extensions import db
from booking.notifications.models import OutboxMessage
from booking.notifications.reminders import save_reminder_rule
from booking.timefmt import now_utc
from tests.events.test_api import auth, event_body


def _register(client, staff, member, prepare) -> dict[str, OutboxMessage]:
    event = client.post("/api/v1/events", json=event_body(), headers=auth(staff)).json
    prepare(db.session.get(Event, event["id"]))
    db.session.commit()
    db.session.expire_all()
    response = client.post(
        f"/api/v1/events/{event['id']}/registrations",
        json={"frame": event["frames"][1]["id"], "answers": {}},
        headers=auth(member),
    )
    assert response.status_code == 201, response.json
    about = f"registration:{response.json['id']}"
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key.contains(about)))
    return {row.dedupe_key.replace(about, "R"): row for row in rows}


def test_the_mail_of_an_event_with_a_survey_and_a_rule_of_its_own(client, staff, member):
    def prepare(event):
        add_question(event, "満足度は？", "scale", [], True)
        save_reminder_rule(event.id, now_utc(), anchor="start", direction="before",
                           duration="P3D", subject="三日前のご案内")  # fmt: skip

    mails = _register(client, staff, member, prepare)
    assert mails["R:thanks"].context["survey_url"].endswith("/survey")
    assert mails["reminder:R:P3D"].context["reminder_subject"] == "三日前のご案内"
    assert {"reminder:R:P1D", "reminder:R:PT1H"} <= set(mails)


def test_the_mail_of_an_event_with_neither(client, staff, member):
    statements: list[str] = []

    def seen(conn, cursor, statement, *rest):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", seen)
    try:
        mails = _register(client, staff, member, lambda event: None)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", seen)
    # Neither was read apart from the event.
    apart = [s for s in statements if ("survey_questions" in s or "reminder_rules" in s)
             and "FROM events" not in s]  # fmt: skip
    assert not apart
    assert mails["R:thanks"].context["survey_url"] == ""
    assert {k for k in mails if k.startswith("reminder:")} == {"reminder:R:P1D", "reminder:R:PT1H"}
