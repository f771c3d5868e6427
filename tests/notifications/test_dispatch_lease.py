"""A batch that outlives most of its lease: the dispatcher never sends on a lease that may have
run out. What it did not send goes back (pending, no lease) and is claimed afresh in the same
pass; a batch of which nothing went out ends the pass instead of claiming again and again.

Time passes on the tests' clock (`clock.advance` moves the monotonic seconds the dispatcher
measures a lease's age with), from inside the real SMTP sink while it receives the first mail.
"""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from booking.extensions import db
from booking.notifications import dispatcher
from booking.notifications.dispatcher import LEASE, dispatch_due
from booking.notifications.models import OutboxMessage

# Past the 80 % of the lease at which a batch is late, before the lease itself runs out.
MOST_OF_THE_LEASE = LEASE * 0.9


def _rows(ids: list[int]) -> list[OutboxMessage]:
    db.session.expire_all()
    return [db.session.get(OutboxMessage, i) for i in ids]


def _states(ids: list[int]) -> dict[int, tuple]:
    """(status, lease_owner, lease_until) of each row, read on a connection of its own."""
    table = OutboxMessage.__table__
    query = select(table.c.id, table.c.status, table.c.lease_owner, table.c.lease_until)
    with db.engine.connect() as connection:
        found = connection.execute(query.where(table.c.id.in_(ids))).all()
    return {row.id: tuple(row[1:]) for row in found}


def _spy(monkeypatch) -> tuple[list, list]:
    """Record each claim's ids, and each give-back with the rows' states right after it."""
    claims, given_back = [], []
    claim_rows, release = dispatcher._claim_rows, dispatcher._release

    def recording_claim(run, limit):
        rows = claim_rows(run, limit)
        claims.append([row.id for row in rows])
        return rows

    def recording_release(run, ids):
        release(run, ids)
        if ids:
            given_back.append(_states(ids))

    monkeypatch.setattr(dispatcher, "_claim_rows", recording_claim)
    monkeypatch.setattr(dispatcher, "_release", recording_release)
    return claims, given_back


def test_a_late_batch_gives_back_what_it_did_not_send_and_the_pass_sends_it_in_a_fresh_claim(
    app, clock, smtp_app, make_message, monkeypatch
):
    ids = [make_message(f"member{n}@example.jp") for n in range(6)]
    claims, given_back = _spy(monkeypatch)

    def first_mail_takes_most_of_the_lease(count: int) -> None:
        if count == 1:
            clock.advance(MOST_OF_THE_LEASE)

    smtp_app.on_data = first_mail_takes_most_of_the_lease
    assert dispatch_due() == 6

    # One claim of all six; the first mail went out late, the five others were given back
    # untried (at once by the sender, or with the rest of the batch: threads decide which)
    # and won again by fresh claims of the same pass, the last of which found nothing more.
    assert claims[0] == ids and claims[-1] == []
    assert sorted(i for later in claims[1:] for i in later) == ids[1:]
    released = {i: state for release in given_back for i, state in release.items()}
    assert released == {i: ("pending", None, None) for i in ids[1:]}
    rows = _rows(ids)
    assert {row.status for row in rows} == {"sent"}
    assert {row.attempts for row in rows} == {1}  # a give-back is not an attempt
    assert smtp_app.message_ids() == {row.message_id: 1 for row in rows}  # each exactly once


def test_a_batch_of_which_nothing_went_out_ends_the_pass_and_stays_claimable(
    app, smtp_app, make_message, monkeypatch
):
    """A lease shorter than the time from a claim to its first mail makes every batch late
    before anything of it is sent: the pass gives the batch back and ends, not claiming it
    again and again."""
    ids = [make_message(f"member{n}@example.jp") for n in range(3)]
    claims, given_back = _spy(monkeypatch)
    app.config["MAIL_LEASE"] = timedelta(0)
    assert dispatch_due() == 0

    assert claims == [ids]  # one claim, no spin
    assert given_back == [{i: ("pending", None, None) for i in ids}]
    assert {row.attempts for row in _rows(ids)} == {0}
    assert smtp_app.messages == []

    app.config["MAIL_LEASE"] = LEASE
    assert dispatch_due() == 3  # the rows were claimable again at once
    assert smtp_app.message_ids() == {row.message_id: 1 for row in _rows(ids)}


def _slow_render(monkeypatch, clock, takes) -> None:
    """Rendering a message lets `takes(message id)` of the lease pass on the tests' clock."""
    render = dispatcher.render_message

    def slow(msg, now):
        clock.advance(takes(msg.id))
        return render(msg, now)

    monkeypatch.setattr(dispatcher, "render_message", slow)


def test_a_mail_found_late_after_its_batch_was_handed_over_goes_back_at_once_and_is_sent_once(
    app, clock, smtp_app, make_message, monkeypatch
):
    """The last mails of a batch may turn late in the sender after the next batch was claimed:
    they go back at once (pending) and a later claim of the same pass sends them, one attempt
    each, rather than holding their lease to the pass's end (or past it)."""
    ids = [make_message(f"member{n}@example.jp") for n in range(6)]
    slow = {ids[2]: MOST_OF_THE_LEASE, ids[3]: LEASE * 0.2}
    _slow_render(monkeypatch, clock, lambda msg_id: slow.pop(msg_id, timedelta(0)))

    assert dispatch_due(limit=3) == 6

    rows = _rows(ids)
    assert {row.status for row in rows} == {"sent"}
    assert {row.attempts for row in rows} == {1}
    assert smtp_app.message_ids() == {row.message_id: 1 for row in rows}


def test_a_first_mail_that_takes_most_of_the_lease_to_prepare_ends_the_pass_without_spinning(
    app, clock, smtp_app, make_message, monkeypatch
):
    ids = [make_message(f"member{n}@example.jp") for n in range(3)]
    claims, _given_back = _spy(monkeypatch)
    _slow_render(monkeypatch, clock, lambda _msg_id: MOST_OF_THE_LEASE)
    stop = threading.Event()
    claim_rows = dispatcher._claim_rows

    def stop_a_spin(run, limit):
        if len(claims) >= 5:  # a pass that spins is stopped here, and the test fails below
            stop.set()
        return claim_rows(run, limit)

    monkeypatch.setattr(dispatcher, "_claim_rows", stop_a_spin)
    assert dispatch_due(limit=3, stop=stop) == 0

    assert claims == [ids] and not stop.is_set()  # one claim, ended by itself
    assert _states(ids) == {i: ("pending", None, None) for i in ids}
    assert {row.attempts for row in _rows(ids)} == {0}
    assert smtp_app.messages == []
