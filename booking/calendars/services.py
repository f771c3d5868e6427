"""Feeds: which items go in, their version (ETag) and their bytes.

A feed is prepared in two steps so a conditional request costs little: `fingerprint`
(cheap: a query or the items' reprs) gives the ETag; `render()` (icalendar serialisation,
the expensive part) only runs when the client lacks that version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from booking.calendars import settings
from booking.calendars.event_items import EventLabels, event_item, kind_label
from booking.calendars.ics import build_feed
from booking.calendars.items import CalendarItem, sources_of
from booking.calendars.models import FeedToken
from booking.calendars.options import FeedOptions
from booking.errors import DomainError, NotFound
from booking.events.models import KINDS, Event
from booking.extensions import db
from booking.org.models import Unit
from booking.timefmt import as_utc

# Bump when the way items are written changes, so every ETag changes with it.
FORMAT_VERSION = "1"
PUBLIC_LOCALE = "ja"


class BadFilter(DomainError):
    code, status = "bad_filter", 400


@dataclass
class PreparedFeed:
    """What the HTTP layer needs: a version (ETag) known before the body is built."""

    fingerprint: str
    private: bool
    max_age: int
    render: Callable[[], bytes]
    # Lazy: for a feed whose sources have versions it costs running the sources.
    modified: Callable[[], datetime]

    @property
    def last_modified(self) -> datetime:
        return self.modified()


def _digest(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()[:40]


def _keep(items: Iterable[CalendarItem], now: datetime) -> tuple[list[CalendarItem], datetime]:
    """Drop items cancelled more than CALENDAR_CANCELLED_DAYS ago, and duplicate UIDs.

    Returns the kept items and the latest moment an item left the feed that way, which
    counts as a modification (Last-Modified must grow whenever the bytes change).
    """
    keep_for = timedelta(days=int(settings.setting("CALENDAR_CANCELLED_DAYS")))
    kept: dict[str, CalendarItem] = {}
    left = datetime.min.replace(tzinfo=now.tzinfo)
    for item in items:
        if item.cancelled and as_utc(item.updated_at) + keep_for < now:
            left = max(left, as_utc(item.updated_at) + keep_for)
            continue
        # One VEVENT per UID: if two sources name the same thing, the latest version wins.
        twin = kept.get(item.uid_key)
        if twin is None or (item.sequence, as_utc(item.updated_at)) > (
            twin.sequence,
            as_utc(twin.updated_at),
        ):
            kept[item.uid_key] = item
    return list(kept.values()), left


def items_feed(
    items: Iterable[CalendarItem], opts: FeedOptions, *, private: bool, now: datetime,
    since: datetime,
) -> PreparedFeed:  # fmt: skip
    """A feed of items already in memory; `since` is its Last-Modified when it is empty."""
    kept, left = _keep(items, now)
    kept.sort(key=lambda i: (as_utc(i.starts_at), i.uid_key))
    newest = max([as_utc(i.updated_at) for i in kept] + [left, as_utc(since)])
    return PreparedFeed(
        fingerprint=_digest(FORMAT_VERSION, opts, kept),
        private=private,
        max_age=int(opts.refresh.total_seconds()),
        render=lambda: build_feed(kept, opts),
        modified=lambda: newest,
    )


def person_feed(owner: FeedToken, now: datetime) -> PreparedFeed:
    """A person's private feed, or an advisor's feed, from the registered sources.

    When every source registered a version function, the ETag comes from those versions and
    the items are only gathered (and serialised) if the client lacks this version.
    """
    user = owner.user
    registry = sources_of()
    sources = registry.advisor if owner.purpose == "advisor" else registry.private
    source_versions = registry.versions
    locale = user.locale or "ja"
    with force_locale(locale):
        org = settings.org_name(locale)
        if owner.purpose == "advisor":
            name = _("%(org)s 相談スケジュール", org=org)
        else:
            name = _("%(org)s マイカレンダー", org=org)
    opts = settings.feed_options(name=name, locale=locale, private=True, alarm=True)
    since = owner.regenerated_at or owner.created_at

    def full() -> PreparedFeed:
        items: list[CalendarItem] = []
        with force_locale(locale):
            for source in sources.values():
                items.extend(source(user, now))
        return items_feed(items, opts, private=True, now=now, since=since)

    if not sources or not all(key in source_versions for key in sources):
        return full()
    versions = [(key, source_versions[key](user, now)) for key in sorted(sources)]
    built: list[PreparedFeed] = []

    def once() -> PreparedFeed:
        if not built:
            built.append(full())
        return built[0]

    return PreparedFeed(
        fingerprint=_digest(FORMAT_VERSION, "versions", opts, since, versions),
        private=True,
        max_age=int(opts.refresh.total_seconds()),
        render=lambda: once().render(),
        modified=lambda: once().last_modified,
    )


# ---- public feeds and downloads ---------------------------------------------------------


@dataclass(frozen=True)
class PublicFilter:
    kinds: tuple[str, ...] = ()
    unit_ids: tuple[int, ...] = ()
    unit_names: tuple[str, ...] = ()  # for the calendar's name


def public_filter(
    branches: Iterable[str] = (), kinds: Iterable[str] = (), sections: Iterable[str] = ()
) -> PublicFilter:
    """Validate the public feed's filters (empty values mean no filter).

    :raises BadFilter: an unknown branch, kind or section.
    """
    kinds = tuple(k for k in kinds if k)
    for k in kinds:
        if k not in KINDS:
            raise BadFilter(
                _("種別 “%(value)s” はありません。選べるのは %(choices)s です。",
                  value=k, choices=", ".join(KINDS)),
                field="kind",
            )  # fmt: skip
    units: list[Unit] = []
    for unit_kind, slugs in (("branch", branches), ("section", sections)):
        for slug in (s for s in slugs if s):
            unit = db.session.scalar(select(Unit).where(Unit.kind == unit_kind, Unit.slug == slug))
            if unit is None:
                message = (
                    _("支部 “%(value)s” はありません。", value=slug)
                    if unit_kind == "branch"
                    else _("部会 “%(value)s” はありません。", value=slug)
                )
                raise BadFilter(message, field=unit_kind)
            units.append(unit)
    return PublicFilter(
        kinds=kinds, unit_ids=tuple(u.id for u in units), unit_names=tuple(u.name for u in units)
    )


def _public_conditions(flt: PublicFilter) -> list:
    conds = [Event.status.in_(("published", "cancelled")), Event.member_only.is_(False)]
    if flt.kinds:
        conds.append(Event.kind.in_(flt.kinds))
    if flt.unit_ids:  # branches and sections together: events of any of those units
        conds.append(Event.unit_id.in_(flt.unit_ids))
    return conds


def public_feed(flt: PublicFilter, now: datetime) -> PreparedFeed:
    """Published, non-member-only events (cancelled ones for 30 days), without join URLs.

    The fingerprint is one aggregate query, so a 304 never loads or serialises the events.
    """
    past = now - timedelta(days=int(settings.setting("CALENDAR_PAST_DAYS")))
    keep_for = timedelta(days=int(settings.setting("CALENDAR_CANCELLED_DAYS")))
    cancelled_before = now - keep_for
    in_window = Event.ends_at >= past
    stale = (Event.status == "cancelled") & (Event.updated_at < cancelled_before)
    shown = in_window & ~stale
    row = db.session.execute(
        select(
            func.count(Event.id).filter(shown),
            func.max(Event.updated_at).filter(shown),
            func.sum(Event.id).filter(shown),
            func.sum(Event.sequence).filter(shown),
            func.max(Event.ends_at).filter(~in_window),
            func.max(Event.updated_at).filter(in_window & stale),
        ).where(*_public_conditions(flt))
    ).one()
    count, newest, id_sum, seq_sum, last_out, last_cancelled = row
    # Organisers' names are in every entry (CATEGORIES): a renamed unit is a new version.
    units = db.session.execute(select(Unit.id, Unit.name).order_by(Unit.id)).all()
    moments = [datetime(2000, 1, 1, tzinfo=now.tzinfo)]
    if newest is not None:
        moments.append(as_utc(newest))
    if last_out is not None:  # it left the feed when it fell out of the window
        moments.append(as_utc(last_out) + (now - past))
    if last_cancelled is not None:
        moments.append(as_utc(last_cancelled) + keep_for)
    # Calendar apps send no cookies: public feeds speak the default language, whoever asks,
    # so one URL has one content (and one ETag) for every shared cache.
    with force_locale(PUBLIC_LOCALE):
        names = tuple(kind_label(k) for k in flt.kinds) + flt.unit_names
        name = f"{settings.org_name(PUBLIC_LOCALE)} " + ("・".join(names) or _("イベント"))
    opts = settings.feed_options(name=name, private=False, alarm=False)

    def render() -> bytes:
        events = db.session.scalars(
            select(Event)
            .options(joinedload(Event.unit))
            .where(*_public_conditions(flt), shown)
            .order_by(Event.starts_at, Event.id)
        ).all()
        with force_locale(PUBLIC_LOCALE):
            labels = EventLabels.current()
        items = [event_item(e, labels=labels) for e in events]
        return build_feed(items, opts)

    return PreparedFeed(
        fingerprint=_digest(FORMAT_VERSION, opts, flt, count, moments, id_sum, seq_sum, units),
        private=False,
        max_age=int(opts.refresh.total_seconds()),
        render=render,
        modified=lambda: max(moments),
    )


class SignInNeeded(DomainError):
    code, status = "unauthorized", 401


def downloadable_event(event_id: int, user) -> Event:
    """The event if this person may download it: never a draft; member-only for members.

    :raises SignInNeeded: a member-only event and nobody is signed in.
    :raises NotFound: no such event, a draft, or member-only for a signed-in non-member.
    """
    event = db.session.get(Event, event_id)
    if event is None or event.status == "draft":
        raise NotFound()
    if event.member_only and not getattr(user, "is_member", False):
        if not getattr(user, "is_authenticated", False):
            raise SignInNeeded()
        raise NotFound()
    return event


def single_event_feed(event: Event, locale: str = "ja") -> PreparedFeed:
    """One event for download; no join URL (bookings offer their own download for that)."""
    opts = settings.feed_options(
        name=event.title, locale=locale, private=event.member_only, alarm=True
    )
    with force_locale(locale):
        item = event_item(event)
    modified = as_utc(event.updated_at)
    return PreparedFeed(
        fingerprint=_digest(FORMAT_VERSION, locale, opts, item),
        private=event.member_only,
        max_age=int(opts.refresh.total_seconds()),
        render=lambda: build_feed([item], opts),
        modified=lambda: modified,
    )
