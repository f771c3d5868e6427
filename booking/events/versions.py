"""Optimistic version check of staff edits: two staff members editing one event never lose
one of the saves silently.

Every staff change of an event (its fields, frames or sessions) goes through `claim`: a
conditional `UPDATE events SET version = version + 1 WHERE id = ? AND version = ?`. The edit
forms carry the version they were opened at; a save whose version is no longer the stored
one is refused (`StaleEdit`) and the page keeps what was typed. On PostgreSQL the second of
two simultaneous saves waits for the first's row lock, then finds the version moved on.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from booking.errors import Conflict
from booking.events.models import Event
from booking.extensions import db
from booking.storable import db_int_or_none

STALE = _l(
    "このイベントは、この画面を開いた後に他の職員が変更しました。入力内容はそのまま残しています。"
    "最新の内容を確認し、必要ならもう一度保存してください。"
)


class StaleEdit(Conflict):
    code = "stale_version"


def form_version(value) -> int | None:
    """The version an edit form was opened at (its hidden field). Unreadable is a version no
    event has, so the save is refused as stale rather than saved over; absent (a page
    rendered before forms carried it) is not checked."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    parsed = db_int_or_none(value) if not isinstance(value, bool) else None
    return parsed if parsed is not None else -1


def claim(event: Event, expected: int | None = None) -> None:
    """Count one more change of the event; with `expected`, only if nobody saved since.

    :raises StaleEdit: the event's version is no longer `expected`.
    """
    query = update(Event).where(Event.id == event.id)
    if expected is not None:
        query = query.where(Event.version == expected)
    result = db.session.execute(
        # The version is shown on no fair's directory (exhibitions/directory/versions.py).
        query.values(version=Event.version + 1).execution_options(
            synchronize_session=False, directory_of=()
        )
    )
    if result.rowcount != 1:
        raise StaleEdit(STALE)
    db.session.expire(event, ["version"])
