"""After the event: the thank-you and the survey go to the people who came, and nobody else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.notifications import mailer
from booking.notifications.dispatcher import dispatch_due
from booking.notifications.models import OutboxMessage
from booking.timefmt import as_utc, now_utc
from tests.clock import CLOCK


@pytest.fixture
def event(make_event):
    return make_event(
        days=3, format="hybrid", online_url="https://meet.example.jp/j/42",
        frames=[dict(name="会場参加", mode="in_person", capacity=10),
                dict(name="オンライン参加", mode="online", capacity=10)],
    )  # fmt: skip


@pytest.fixture
def people(event, make_user):
    """came: checked in at the door; stayed_away: a no-show; online: the online frame."""
    regs = {}
    for name, frame in (("came", 0), ("stayed_away", 0), ("online", 1)):
        user = make_user("member", email=f"{name}@example.jp")
        regs[name] = register_for_frame(user, event.id, event.frames[frame].id, {}, now_utc())
    db.session.commit()
    dispatch_due()  # the confirmations, so that only what follows the event is left
    return regs


def _check_in_at_the_door(staff_client, event, reg) -> None:
    CLOCK.move_to(as_utc(event.starts_at) - timedelta(minutes=20))  # the door opens on the day
    response = staff_client.post(
        f"/staff/events/{event.id}/checkin", data={"token": reg.pass_token}
    )
    assert response.status_code == 200


def _mails_to(address: str) -> list:
    return [m for m in mailer.outbox_memory if m["To"] == address]


def _text(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def test_the_thank_you_goes_to_people_who_came_and_not_to_no_shows(
    staff_client, event, people
):  # fmt: skip
    _check_in_at_the_door(staff_client, event, people["came"])
    mailer.outbox_memory.clear()
    dispatch_due(now=as_utc(event.ends_at) + timedelta(hours=4))  # the thank-you is due
    for name in ("came", "online"):
        [thanks] = _mails_to(f"{name}@example.jp")
        assert "ご参加ありがとうございました" in str(thanks["Subject"])
        assert "本日はご参加いただき" in _text(thanks)
    assert _mails_to("stayed_away@example.jp") == []
    dropped = db.session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.dedupe_key == f"registration:{people['stayed_away'].id}:thanks"
        )
    )
    assert dropped.status == "cancelled" and dropped.last_error == "no longer applies"


def test_a_survey_rule_after_the_end_reaches_only_the_people_who_came(
    staff_client, event, people
):  # fmt: skip
    response = staff_client.post(f"/staff/outbox/events/{event.id}/reminders", data={
        "when": "end-after", "amount": "1", "unit": "D", "active": "y",
        "subject": "アンケートご協力のお願い", "body": "アンケートへのご回答をお願いいたします。",
    })  # fmt: skip
    assert response.status_code == 302
    _check_in_at_the_door(staff_client, event, people["came"])
    mailer.outbox_memory.clear()
    dispatch_due(now=as_utc(event.ends_at) + timedelta(days=1))
    for name in ("came", "online"):
        surveys = [
            m for m in _mails_to(f"{name}@example.jp") if "アンケートご協力" in str(m["Subject"])
        ]
        assert len(surveys) == 1, name
        text = _text(surveys[0])
        assert "アンケートへのご回答をお願いいたします。" in text
        assert "キャンセルはこちら" not in text  # nothing left to cancel
    assert _mails_to("stayed_away@example.jp") == []
