"""Each fair's directory version: a new one in the very transaction that changes what the
public directory shows.

Workers keep rendered directory pages (pages.py) under the fair's version, read in the
statement that loads the fair; every worker on every host sees a committed change there on
its next page. So no writer may forget to give the fair a new version — and rather than ask
each of them (staff pages, the API, exhibitors' own pages, imports, demo loading) to remember,
the session notes what changed:

- after each flush, the ORM rows added, changed or deleted of what a directory shows (the
  fair and its event, exhibitors and their companies, booths, zones, logos, categories —
  a category is a chamber section, so changing one touches every fair);
- a Core INSERT, UPDATE or DELETE through the session on one of those tables: the fairs the
  statement names in its `DIRECTORY_OF` execution option, else every fair;
- at the commit, each fair noted gets a new random version, in one upsert, in id order.

The version row is the last lock the transaction takes, held only while it commits, so it
cannot close a deadlock with the exhibition and exhibitor locks the business rules take. A
random version (never a counter) cannot repeat a number another database or an earlier
test gave the same fair id, whose pages a worker may still hold.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import BigInteger, event, inspect, literal, or_, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from booking.accounts.models import Company
from booking.events.models import Event
from booking.exhibitions.models import (
    Booth,
    DirectoryVersion,
    Exhibition,
    Exhibitor,
    ExhibitorLogo,
    Zone,
    exhibitor_categories,
)
from booking.org.models import Unit

# A Core statement's execution option: the fair ids it changes (an empty tuple: none shown).
DIRECTORY_OF = "directory_of"
_SHOWN_TABLES = frozenset(
    t.name
    for t in (Exhibition.__table__, Event.__table__, Exhibitor.__table__, Booth.__table__,
              Zone.__table__, ExhibitorLogo.__table__, Company.__table__, Unit.__table__,
              exhibitor_categories)
)  # fmt: skip
_SHOWN = (Exhibition, Event, Exhibitor, Booth, Zone, ExhibitorLogo, Company, Unit)
_FAIRS, _EVERY = "directory_fairs_changed", "directory_every_fair_changed"


def init_app(app) -> None:
    """Listen on every session (once per process, whatever the number of apps)."""
    for name, listener in (("after_flush", _after_flush), ("do_orm_execute", _on_execute),
                           ("before_commit", _before_commit),
                           ("after_transaction_end", _after_transaction_end)):  # fmt: skip
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def note_changed(session: Session, fair_ids: Iterable[int] | None) -> None:
    """The directories of these fairs (None: of every fair) change in this transaction."""
    if fair_ids is None:
        session.info[_EVERY] = True
    else:
        session.info.setdefault(_FAIRS, set()).update(i for i in fair_ids if i is not None)


def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in _SHOWN_TABLES:
        note_changed(state.session, state.execution_options.get(DIRECTORY_OF))


def _after_flush(session: Session, _context) -> None:
    # new/dirty/deleted still list what this flush wrote (and the new rows have their ids).
    changed = [o for o in session.new if isinstance(o, _SHOWN)]
    changed += [o for o in session.deleted if isinstance(o, _SHOWN)]
    changed += [o for o in session.dirty if isinstance(o, _SHOWN) and session.is_modified(o)]
    if changed:
        note_changed(session, _fairs_of(session, changed))


def _fairs_of(session: Session, rows: list) -> set[int] | None:
    """The fairs whose directory shows these rows; None for every fair."""
    fairs: set[int] = set()
    events: set[int] = set()
    exhibitors: set[int] = set()
    companies: set[int] = set()
    for row in rows:
        if isinstance(row, Unit):
            return None
        key = {Exhibition: "id", Event: "id", Company: "id", ExhibitorLogo: "exhibitor_id"}
        value = inspect(row).dict.get(key.get(type(row), "exhibition_id"))
        if value is None:  # not loaded: whichever fair it was, it is one of them all
            return None
        if isinstance(row, Event):
            events.add(value)
        elif isinstance(row, Company):
            companies.add(value)
        elif isinstance(row, ExhibitorLogo):
            exhibitors.add(value)
        else:
            fairs.add(value)
    run = session.connection().execute  # plain reads: no autoflush inside a flush
    if events:
        fairs.update(run(select(Exhibition.id).where(Exhibition.event_id.in_(events))).scalars())
    if exhibitors or companies:
        fairs.update(
            run(
                select(Exhibitor.exhibition_id).where(
                    or_(Exhibitor.id.in_(exhibitors), Exhibitor.company_id.in_(companies))
                )
            ).scalars()
        )
    return fairs


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the fairs are versioned when the whole transaction commits
    session.flush()  # the last changes are noted too
    every = session.info.pop(_EVERY, False)
    fairs = session.info.pop(_FAIRS, set())
    if not every and not fairs:
        return
    upsert = (
        postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )(DirectoryVersion)
    # Fairs deleted meanwhile drop out of the SELECT; id order keeps two committers from
    # waiting on each other's rows.
    chosen = (
        select(Exhibition.id, literal(secrets.randbits(62), BigInteger))
        .where(true() if every else Exhibition.id.in_(sorted(fairs)))
        .order_by(Exhibition.id)
    )
    session.connection().execute(
        upsert.from_select(["exhibition_id", "version"], chosen).on_conflict_do_update(
            index_elements=["exhibition_id"], set_={"version": upsert.excluded.version}
        )
    )


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost: committed (versioned) or rolled back
        session.info.pop(_EVERY, None)
        session.info.pop(_FAIRS, None)


def version_of(exhibition_id: int):
    """A scalar subquery of the fair's version (NULL until its first change is committed)."""
    return (
        select(DirectoryVersion.version)
        .where(DirectoryVersion.exhibition_id == exhibition_id)
        .scalar_subquery()
    )
