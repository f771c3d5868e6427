"""One unit of work per request: it commits when the answer is good, and leaves nothing otherwise.

Through the product: a registration refused after its row was written (the frame is full),
the same registration accepted, and a refused login that must still send its mail.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import func, select

from booking.accounts.services import issue_api_token
from booking.errors import Busy
from booking.events.models import Registration
from booking.extensions import db
from booking.notifications.models import OutboxMessage
from booking.unit_of_work import RUNS, WRAPPED, RunAgain, run_until_settled
from tests.conftest import PASSWORD
from tests.factories import make_event

BOOKING = Path(__file__).resolve().parents[1] / "booking"
# The dispatcher leases, sends and marks in separate transactions (that is how a mail goes out
# once); the account import commits per chunk of thousands. Nothing else commits by hand.
# The dispatcher keeps its own transactions (claims, marks in notifications/writes.py) and the
# roster import commits in chunks; everything else runs in the unit of work.
OWN_TRANSACTIONS = {
    "unit_of_work.py",
    "notifications/dispatcher.py",
    "notifications/writes.py",
    "accounts/importer.py",
}


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _bearer(user) -> dict:
    token = issue_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_every_view_runs_in_the_unit_of_work(app):
    unwrapped = [name for name, view in app.view_functions.items() if not getattr(view, WRAPPED)]
    assert unwrapped == []


def test_no_module_commits_or_rolls_back_but_the_unit_of_work():
    offenders = []
    for path in BOOKING.rglob("*.py"):
        if path.relative_to(BOOKING).as_posix() in OWN_TRANSACTIONS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_call = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            if is_call and node.func.attr in ("commit", "rollback"):
                offenders.append(f"{path.relative_to(BOOKING)}:{node.lineno}")
    assert offenders == []


def test_a_registration_refused_after_its_row_was_written_leaves_nothing(app, client, make_user):
    event = make_event(capacity=1, waitlist=False)
    frame_id = event.frames[0].id
    first, second = make_user("member"), make_user("member")
    url = f"/api/v1/events/{event.id}/registrations"
    assert client.post(url, json={"frame": frame_id}, headers=_bearer(first)).status_code == 201
    registrations, mails = _count(Registration), _count(OutboxMessage)

    # The second person's row is inserted before the seat is sought; the full frame refuses it.
    refused = client.post(url, json={"frame": frame_id}, headers=_bearer(second))

    assert refused.status_code == 409 and refused.json["error"]["code"] == "full"
    assert _count(Registration) == registrations  # no half-made registration …
    assert _count(OutboxMessage) == mails  # … and no mail about it


def test_an_accepted_registration_and_its_mail_commit_together(app, client, member):
    event = make_event(capacity=5)
    headers, mails = _bearer(member), _count(OutboxMessage)
    answer = client.post(
        f"/api/v1/events/{event.id}/registrations",
        json={"frame": event.frames[0].id}, headers=headers,
    )  # fmt: skip
    assert answer.status_code == 201
    assert db.session.get(Registration, answer.json["id"]).status == "confirmed"
    assert _count(OutboxMessage) > mails  # the confirmation mail committed with it


def test_a_refused_login_keeps_the_confirmation_mail_it_planned(app, client, make_user):
    user = make_user("guest")
    user.email_confirmed_at = None
    db.session.commit()
    before = _count(OutboxMessage)

    answer = client.post("/account/login", data={"email": user.email, "password": PASSWORD})

    assert answer.status_code == 403  # refused: the address is not confirmed …
    assert _count(OutboxMessage) == before + 1  # … and the confirmation mail goes again


def test_a_runagain_raised_bare_on_every_run_is_refused_as_busy_after_the_last(app):
    """Services raise `lost_race()`; one raising `RunAgain` itself is refused all the same,
    never a 500."""
    runs = []

    def lose():
        runs.append(1)
        raise RunAgain

    with pytest.raises(Busy):
        run_until_settled(lose)
    assert len(runs) == RUNS
