"""One unit of work per request, command and job: it commits once, at the end, or not at all.

Views, commands and jobs never call `commit` or `rollback` (a test fails if one does):

- a request's view runs inside `_run_in_unit_of_work`: its changes commit when it answers below
  400, and roll back when it raises or answers an error (4xx, 5xx);
- a command or a job runs its body in `with unit_of_work():`.

A service that loses a rare race in a way only a fresh start undoes (a lock it must give back,
rows it wrote for an answer that is now wrong) raises `lost_race()`, a `RunAgain`: the request's
unit of work rolls back and runs the view again from the start, reading afresh; on the last run
it is `Busy`, a refusal the page or the API answers like any other. The common path pays nothing
for that (no savepoint around every attempt). A view that may run again does nothing outside the
database before its last service call (no mail sent, no file stored, no upload read: a second
run finds the request's stream used up).

Mail is an outbox row written in the same session, so a mail exists exactly when the change
that planned it committed. (The outbox dispatcher is the one exception: leasing, sending and
marking are separate transactions by design; see notifications/dispatcher.py.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import TypeVar

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import lazy_gettext as _l

from booking.errors import Busy
from booking.extensions import db

WRAPPED = "_tsunagu_unit_of_work"
# Each run again follows another transaction's commit in the few milliseconds of one run (the
# last seat taken, a seat freed): a second run nearly always settles it.
RUNS = 10

T = TypeVar("T")
BUSY = _l("ただいま大変混み合っております。お手数ですが、少し時間をおいてもう一度お試しください。")


class RunAgain(Exception):
    """Roll this unit of work back and run it again from the start (a rare race was lost)."""


_LAST_RUN: ContextVar[bool] = ContextVar("tsunagu_last_run", default=False)


def lost_race() -> Exception:
    """What a service raises when it lost a rare race: `RunAgain`, or on the last run of
    `run_until_settled` `Busy`, a refusal like any other (and logged, for operators). A page
    then shows it above the form with what was typed; the API answers 409 `busy`; nothing of
    the request is kept."""
    if not _LAST_RUN.get():
        return RunAgain()
    where = request.endpoint if has_request_context() else "a command"
    current_app.logger.warning("%s lost its race on all %d runs", where, RUNS)
    return Busy(BUSY)


def run_until_settled(work: Callable[[], T]) -> T:
    """`work()`, rolled back and run again while it raises `RunAgain` (at most `RUNS` times).

    The request's unit of work runs every view so; a command, a job or a test that calls a
    service which may raise `RunAgain` runs its body so too. A race lost on the last run is
    refused as `Busy` (`lost_race`). Not to be nested: an inner call would take the outer
    call's last run for its own.
    """
    for _ in range(RUNS - 1):
        try:
            return work()
        except RunAgain:
            db.session.rollback()
    last = _LAST_RUN.set(True)
    try:
        return work()
    except RunAgain:  # raised bare rather than by `lost_race`: refused all the same
        raise lost_race() from None
    finally:
        _LAST_RUN.reset(last)


def init_app(app: Flask) -> None:
    """Wrap every view registered so far; call it after the last blueprint is registered."""
    for endpoint, view in list(app.view_functions.items()):
        if not getattr(view, WRAPPED, False):
            app.view_functions[endpoint] = _run_in_unit_of_work(view)


def _run_in_unit_of_work(view: Callable) -> Callable:
    @wraps(view)
    def run(*args, **kwargs):
        try:
            response = run_until_settled(lambda: _answer(view, *args, **kwargs))
        except BaseException:
            db.session.rollback()
            raise
        if response.status_code < 400 or g.pop("keep_changes", False):
            db.session.commit()
        else:
            db.session.rollback()
        return response

    setattr(run, WRAPPED, True)
    return run


def _answer(view: Callable, *args, **kwargs):
    g.pop("keep_changes", None)  # a run rolled back keeps nothing, not even this wish
    return current_app.make_response(view(*args, **kwargs))


def keep_changes() -> None:
    """Commit this request's changes although it answers an error.

    For the few refusals that must leave a trace: a login refused because the address is not
    confirmed yet still sends the confirmation mail again.
    """
    g.keep_changes = True


def undo() -> None:
    """Forget what this unit of work changed so far (a rule refused it); the request goes on."""
    db.session.rollback()


@contextmanager
def unit_of_work() -> Iterator[None]:
    """A command's or a job's one transaction: commit at the end, roll back on any exception."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
