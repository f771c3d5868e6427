"""Visitors' bookmarks of exhibitors (気になる出展者).

Setting a bookmark names the state wanted rather than flipping it, so a double click, a
second tab or a resent form leaves the bookmark as the person last saw it. Adding one that
is already there (even by a concurrent request) is not an error: the primary key keeps one
row, and the loser's insert is rolled back to its savepoint.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from booking.events.models import Event
from booking.exhibitions.models import Bookmark, Booth, Exhibition, Exhibitor, ExhibitorLogo
from booking.extensions import db


def is_bookmarked(user, exhibitor: Exhibitor) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.get(Bookmark, (user.id, exhibitor.id)) is not None


def bookmarked_ids(user, exhibition: Exhibition) -> set[int]:
    """Ids of the exhibitors of `exhibition` that `user` bookmarked (one query)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        db.session.scalars(
            select(Bookmark.exhibitor_id)
            .join(Exhibitor, Exhibitor.id == Bookmark.exhibitor_id)
            .where(Bookmark.user_id == user.id, Exhibitor.exhibition_id == exhibition.id)
        )
    )


def set_bookmark(user, exhibitor: Exhibitor, wanted: bool, now: datetime) -> bool:
    """Bookmark (or un-bookmark) an exhibitor; answers whether it is bookmarked now."""
    if not wanted:
        db.session.execute(
            delete(Bookmark).where(
                Bookmark.user_id == user.id, Bookmark.exhibitor_id == exhibitor.id
            )
        )
        return False
    if is_bookmarked(user, exhibitor):
        return True
    try:
        with db.session.begin_nested():
            db.session.add(Bookmark(user_id=user.id, exhibitor_id=exhibitor.id, created_at=now))
    except IntegrityError:
        pass  # a concurrent request of the same person added it first
    return True


def my_bookmarks(user, exhibition: Exhibition | None = None) -> list[Exhibitor]:
    """Accepted exhibitors the user bookmarked, of published exhibitions, by fair then kana."""
    if not getattr(user, "is_authenticated", False):
        return []
    query = (
        select(Exhibitor)
        .join(Bookmark, Bookmark.exhibitor_id == Exhibitor.id)
        .join(Exhibition, Exhibition.id == Exhibitor.exhibition_id)
        .join(Event, Event.id == Exhibition.event_id)
        .where(
            Bookmark.user_id == user.id,
            Exhibitor.status == "accepted",
            Event.status == "published",
        )
        .order_by(Event.starts_at, Exhibition.id)
        .options(
            selectinload(Exhibitor.company),
            selectinload(Exhibitor.exhibition).selectinload(Exhibition.event),
            selectinload(Exhibitor.booths).selectinload(Booth.zone),
            selectinload(Exhibitor.categories),
            selectinload(Exhibitor.logo).load_only(ExhibitorLogo.digest),
        )
    )
    if exhibition is not None:
        query = query.where(Exhibitor.exhibition_id == exhibition.id)
    found = list(db.session.scalars(query))
    # Stable within a fair: furigana order, as in the directory.
    order: dict[int, int] = {}
    for i, x in enumerate(found):
        order.setdefault(x.exhibition_id, i)
    return sorted(found, key=lambda x: (order[x.exhibition_id], x.kana, x.id))
