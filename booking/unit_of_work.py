"""One unit of work per request, command and job: it commits once, at the end, or not at all.

Views, commands and jobs never call `commit` or `rollback` (a test fails if one does):

- a request's view runs inside `_run_in_unit_of_work`: its changes commit when it answers below
  400, and roll back when it raises or answers an error (4xx, 5xx);
- a command or a job runs its body in `with unit_of_work():`.

Mail is an outbox row written in the same session, so a mail exists exactly when the change
that planned it committed. (The outbox dispatcher is the one exception: leasing, sending and
marking are separate transactions by design; see notifications/dispatcher.py.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

from flask import Flask, current_app, g

from booking.extensions import db

WRAPPED = "_tsunagu_unit_of_work"


def init_app(app: Flask) -> None:
    """Wrap every view registered so far; call it after the last blueprint is registered."""
    for endpoint, view in list(app.view_functions.items()):
        if not getattr(view, WRAPPED, False):
            app.view_functions[endpoint] = _run_in_unit_of_work(view)


def _run_in_unit_of_work(view: Callable) -> Callable:
    @wraps(view)
    def run(*args, **kwargs):
        try:
            response = current_app.make_response(view(*args, **kwargs))
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
