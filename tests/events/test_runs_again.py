"""A registration that loses a rare race runs again from the start.

Registering takes no savepoint: when another transaction commits between the frame's read and
the seat's decision (the last seat taken, a seat freed), or a random 受付番号 clashes, the
unit of work rolls the request back and runs it again, and the answer, the rows and the mail
are those of the second run. Through the API; the other transaction commits at the moment the
frame has been read (`check_company_limit` is the last rule before the seat is sought).
The races need PostgreSQL (on SQLite a transaction holds the one write lock from its start);
the clash of 受付番号 runs on both. A request runs at most `RUNS` times: one that loses every
run is refused as busy (try again, in the person's language) and keeps nothing: the API answers
409 `busy`, the registration page shows it above the form with what was typed. A command's
body run by `run_until_settled` gets `Busy` after its last run.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from booking.accounts.services import issue_api_token
from booking.errors import Busy
from booking.events import registrations
from booking.events.models import Frame, Registration
from booking.extensions import db
from booking.notifications.models import OutboxMessage
from booking.timefmt import now_utc
from booking.unit_of_work import RUNS, run_until_settled, unit_of_work
from tests.conftest import login


def _bearer(user) -> dict:
    token = issue_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def _meanwhile(monkeypatch, change, every_run: bool = False) -> list[int]:
    """Run `change(connection)` in a transaction of its own, committed once the request has
    read the frame (before its first run seeks the seat; before every run's with `every_run`).
    Returns the seats taken each run read."""
    runs: list[int] = []
    rule = registrations.check_company_limit

    def check_then_change(frame, company_id, *args, **kwargs):
        runs.append(frame.taken)
        if len(runs) == 1 or every_run:
            with db.engine.begin() as other:
                change(other)
        return rule(frame, company_id, *args, **kwargs)

    monkeypatch.setattr(registrations, "check_company_limit", check_then_change)
    return runs


def _statuses(frame_id: int) -> dict[int, str]:
    db.session.expire_all()
    rows = select(Registration.user_id, Registration.status).where(
        Registration.frame_id == frame_id
    )
    return dict(db.session.execute(rows).all())


def _mails() -> list[str]:
    """The registration notices planned (not their reminders or thank-you mails)."""
    keys = select(OutboxMessage.dedupe_key).where(
        OutboxMessage.about.like("registration:%"),
        OutboxMessage.dedupe_key.not_like("reminder:%"),
    )
    return sorted(db.session.scalars(keys))


def _register(client, event, user) -> dict:
    answer = client.post(
        f"/api/v1/events/{event.id}/registrations",
        json={"frame": event.frames[0].id},
        headers=_bearer(user),
    )
    assert answer.status_code == 201, answer.json
    return answer.json


@pytest.mark.postgres
def test_the_last_seat_taken_meanwhile_answers_waitlisted(
    postgres_url, client, make_event, make_user, monkeypatch
):
    event = make_event(capacity=1)
    event_id, frame_id = event.id, event.frames[0].id
    other_id, member = make_user("member").id, make_user("member")

    def take_the_last_seat(conn):
        conn.execute(update(Frame).where(Frame.id == frame_id).values(taken=1))
        conn.execute(
            Registration.__table__.insert().values(
                reference="TAKE-N001", event_id=event_id, frame_id=frame_id, user_id=other_id,
                active_user_id=other_id, status="confirmed", answers={}, attestation=False,
                queue_rank=0, pass_token="taken-meanwhile", late_cancel=False, sequence=0,
                created_at=now_utc(), updated_at=now_utc(),
            )
        )  # fmt: skip

    runs = _meanwhile(monkeypatch, take_the_last_seat)
    answer = _register(client, event, member)

    assert answer["status"] == "waitlisted" and answer["position"] == 1
    assert runs == [0, 1]  # the first run read a free seat, the second the full frame
    assert _statuses(frame_id) == {other_id: "confirmed", member.id: "waitlisted"}
    assert db.session.get(Frame, frame_id).taken == 1
    # The mail of the answer given, and nothing the first run planned.
    assert _mails() == [f"registration:{answer['id']}:waitlisted:0"]


@pytest.mark.postgres
def test_a_seat_freed_meanwhile_is_taken(postgres_url, client, make_event, make_user, monkeypatch):
    event = make_event(capacity=1)
    frame_id = event.frames[0].id
    holder, member = make_user("member"), make_user("member")
    held = _register(client, event, holder)
    holder_id = holder.id

    def free_the_seat(conn):
        # A cancellation that found nobody waiting (the newcomer has not written its row yet).
        conn.execute(
            update(Registration)
            .where(Registration.id == held["id"])
            .values(status="cancelled", active_user_id=None, cancelled_at=now_utc())
        )
        conn.execute(update(Frame).where(Frame.id == frame_id).values(taken=0))

    runs = _meanwhile(monkeypatch, free_the_seat)
    answer = _register(client, event, member)

    assert answer["status"] == "confirmed" and answer["position"] is None
    assert runs == [1, 0]  # the first run read the frame full, then saw the seat free
    assert _statuses(frame_id) == {holder_id: "cancelled", member.id: "confirmed"}
    assert db.session.get(Frame, frame_id).taken == 1
    assert f"registration:{answer['id']}:waitlisted:0" not in _mails()
    assert f"registration:{answer['id']}:confirmed:0" in _mails()


def test_a_clash_of_reference_numbers_runs_again_with_a_new_one(
    client, make_event, make_user, monkeypatch
):
    event = make_event()
    first = _register(client, event, make_user("member"))
    drawn = iter([first["reference"], "ZZZZ-9999"])
    monkeypatch.setattr(registrations, "new_reference", lambda: next(drawn))

    second = _register(client, event, make_user("member"))

    assert second["status"] == "confirmed" and second["reference"] == "ZZZZ-9999"
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 2
    assert db.session.get(Frame, event.frames[0].id).taken == 2


def _every_draw_clashes(monkeypatch, taken: str, settles_on: int | None = None) -> list[str]:
    """Every 受付番号 drawn is one already given (`taken`), so each run loses its INSERT, up to
    run `settles_on` (if any), which draws a free one. Returns the draws (one per run)."""
    draws: list[str] = []

    def draw() -> str:
        draws.append(taken if len(draws) + 1 != settles_on else "ZZZZ-9999")
        return draws[-1]

    monkeypatch.setattr(registrations, "new_reference", draw)
    return draws


def test_a_request_that_settles_on_its_last_run_is_answered(
    client, make_event, make_user, monkeypatch
):
    event = make_event()
    first = _register(client, event, make_user("member"))
    draws = _every_draw_clashes(monkeypatch, first["reference"], settles_on=RUNS)

    second = _register(client, event, make_user("member"))

    assert len(draws) == RUNS
    assert second["status"] == "confirmed" and second["reference"] == "ZZZZ-9999"
    assert db.session.get(Frame, event.frames[0].id).taken == 2


def test_a_request_that_loses_every_run_stops_after_the_last_and_answers_busy_keeping_nothing(
    app, client, make_event, make_user, monkeypatch, caplog
):
    event = make_event()
    holder = make_user("member")
    holder_id, first = holder.id, _register(client, event, holder)
    draws = _every_draw_clashes(monkeypatch, first["reference"])
    member = make_user("member")

    answer = client.post(
        f"/api/v1/events/{event.id}/registrations",
        json={"frame": event.frames[0].id},
        headers=_bearer(member),
    )

    assert len(draws) == RUNS  # run RUNS times, not once more
    assert answer.status_code == 409 and answer.json["error"]["code"] == "busy"
    assert "混み合って" in answer.json["error"]["message"]
    assert "api.post_registration lost its race on all 10 runs" in caplog.text  # logged
    assert _statuses(event.frames[0].id) == {holder_id: "confirmed"}
    assert db.session.get(Frame, event.frames[0].id).taken == 1
    assert _mails() == [f"registration:{first['id']}:confirmed:0"]

    client.set_cookie("lang", "en")  # the same answer in English, to someone who chose it
    in_english = client.post(
        f"/api/v1/events/{event.id}/registrations",
        json={"frame": event.frames[0].id},
        headers=_bearer(make_user("member")),
    )
    assert in_english.status_code == 409
    assert in_english.json["error"]["message"] == (
        "We are very busy at the moment. Please try again in a little while."
    )


@pytest.mark.postgres
def test_a_race_lost_on_every_run_stops_after_the_last_and_answers_busy(
    postgres_url, app, client, make_event, make_user, monkeypatch
):
    """Another member takes the last seat and gives it back, each time just after this
    request read the frame: every run loses (a free seat gone, then a full frame freed)."""
    event = make_event(capacity=1)
    event_id, frame_id = event.id, event.frames[0].id
    other_id, member = make_user("member").id, make_user("member")
    reg = Registration.__table__
    with db.engine.begin() as conn:
        other_reg = conn.execute(
            reg.insert().values(
                reference="TAKE-N001", event_id=event_id, frame_id=frame_id, user_id=other_id,
                active_user_id=None, status="cancelled", answers={}, attestation=False,
                queue_rank=0, pass_token="taken-meanwhile", late_cancel=False, sequence=0,
                created_at=now_utc(), updated_at=now_utc(),
            )
        ).inserted_primary_key[0]  # fmt: skip

    def take_or_give_back(conn):
        free = conn.scalar(select(Frame.taken).where(Frame.id == frame_id)) == 0
        status, active = ("confirmed", other_id) if free else ("cancelled", None)
        conn.execute(
            update(reg).where(reg.c.id == other_reg).values(status=status, active_user_id=active)
        )
        conn.execute(update(Frame).where(Frame.id == frame_id).values(taken=int(free)))

    runs = _meanwhile(monkeypatch, take_or_give_back, every_run=True)
    answer = client.post(
        f"/api/v1/events/{event_id}/registrations",
        json={"frame": frame_id},
        headers=_bearer(member),
    )

    assert runs == [0, 1] * (RUNS // 2)  # each run read what the other had just undone
    assert answer.status_code == 409 and answer.json["error"]["code"] == "busy"
    assert _statuses(frame_id) == {other_id: "cancelled"}  # nothing of the member's kept
    assert _mails() == []


def test_a_command_runs_a_service_until_it_settles_and_is_refused_as_busy_after_the_last(
    make_event, make_user, monkeypatch
):
    """Outside a request (a command, a job) the body runs so: `run_until_settled` inside
    `unit_of_work`, as the docstring of `run_until_settled` asks."""
    event = make_event()
    event_id, frame_id = event.id, event.frames[0].id
    holder, member = make_user("member"), make_user("member")
    with unit_of_work():
        taken = run_until_settled(
            lambda: registrations.register_for_frame(holder, event_id, frame_id, {}, now_utc())
        ).reference
    draws = _every_draw_clashes(monkeypatch, taken)

    with pytest.raises(Busy), unit_of_work():
        run_until_settled(
            lambda: registrations.register_for_frame(member, event_id, frame_id, {}, now_utc())
        )

    assert len(draws) == RUNS
    assert _statuses(frame_id) == {holder.id: "confirmed"}
    assert db.session.get(Frame, frame_id).taken == 1


def test_on_the_page_a_registration_lost_on_every_run_keeps_what_was_typed_and_says_why(
    client, make_event, make_user, monkeypatch
):
    event = make_event(questions=[dict(label="ご質問", kind="text", required=False)])
    holder = make_user("member")
    holder_id, first = holder.id, _register(client, event, holder)
    draws = _every_draw_clashes(monkeypatch, first["reference"])
    member = make_user("member")
    login(client, member)
    typed = {"frame": str(event.frames[0].id), event.questions[0].key: "事業承継について"}

    page = client.post(f"/events/{event.id}/register", data={**typed, "confirmed": "1"})

    assert len(draws) == RUNS
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "ただいま大変混み合っております。" in html
    # Nothing typed was wrong: the summary does not ask to check the input.
    assert "お手続きを完了できませんでした" in html and "入力内容を確認してください" not in html
    assert "事業承継について" in html  # the answer is still in its field
    assert _statuses(event.frames[0].id) == {holder_id: "confirmed"}  # nothing of theirs kept
    assert _mails() == [f"registration:{first['id']}:confirmed:0"]
