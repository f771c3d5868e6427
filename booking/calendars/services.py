"""Feed tokens and the feeds themselves: which items go in, their fingerprint, their bytes.

A feed is prepared in two steps so a conditional request costs little: `fingerprint`
(cheap: a query or the items' reprs) gives the ETag; `render()` (icalendar serialisation,
the expensive part) only runs when the client lacks that version.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from booking.accounts.models import User
from booking.calendars import settings
from booking.calendars.ics import FeedOptions, build_feed, invitation
from booking.calendars.items import (
    CalendarItem,
    advisor_sources,
    private_sources,
    source_versions,
)
from booking.calendars.models import FeedToken
from booking.errors import DomainError, NotFound
from booking.events.models import KINDS, Event
from booking.extensions import db
from booking.notifications.hooks import register_invitation_builder
from booking.org.models import Unit
from booking.timefmt import as_utc
from booking.tokens import new_token, token_hash

# Bump when the way items are written changes, so every ETag changes with it.
FORMAT_VERSION = "1"
PUBLIC_LOCALE = "ja"
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


class BadFilter(DomainError):
    code, status = "bad_filter", 400


# ---- tokens ------------------------------------------------------------------------------


def _derive(seed: str) -> str:
    """The URL token of a seed: HMAC-SHA256 under a key derived from SECRET_KEY, 43 chars."""
    key = hashlib.sha256(b"tsunagu/calendar-feed\0" + current_app.secret_key.encode()).digest()
    mac = hmac.new(key, seed.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def _reseed(row: FeedToken) -> str:
    row.seed = new_token(32)
    token = _derive(row.seed)
    row.token_hash = token_hash(token)
    return token


def _row(user: User, purpose: str) -> FeedToken | None:
    return db.session.scalar(
        select(FeedToken).where(FeedToken.user_id == user.id, FeedToken.purpose == purpose)
    )


def feed_purposes(user: User) -> list[str]:
    """The feeds a person has: everyone a private one, advisors also their consultations."""
    return ["private"] + (["advisor"] if user.role == "advisor" else [])


def shown_token(user: User, purpose: str = "private") -> str | None:
    """The token of the owner's feed URL, or None when there is none to show (read-only)."""
    row = _row(user, purpose)
    if row is None:
        return None
    token = _derive(row.seed)
    # A changed SECRET_KEY derives another token; the old URL still works but can't be shown.
    return token if hmac.compare_digest(token_hash(token), row.token_hash) else None


def ensure_feed_token(user: User, now: datetime, purpose: str = "private") -> str:
    """The person's feed token, issuing one the first time (safe against a concurrent twin)."""
    token = shown_token(user, purpose)
    if token:
        return token
    row = _row(user, purpose)
    if row is not None:  # SECRET_KEY changed: the URL can no longer be shown, so renew it
        return regenerate_feed_token(user, now, purpose)
    try:
        with db.session.begin_nested():
            row = FeedToken(user_id=user.id, purpose=purpose, created_at=now)
            token = _reseed(row)
            db.session.add(row)
    except IntegrityError:  # another request issued it first: show theirs
        return shown_token(user, purpose) or regenerate_feed_token(user, now, purpose)
    return token


def regenerate_feed_token(user: User, now: datetime, purpose: str = "private") -> str:
    """A new token; the old URL stops working as soon as the caller commits."""
    row = _row(user, purpose)
    if row is None:
        return ensure_feed_token(user, now, purpose)
    token = _reseed(row)
    row.regenerated_at = now
    db.session.flush()
    return token


def token_owner(token: str) -> FeedToken | None:
    """The token row behind a URL token, or None (unknown, revoked, malformed, inactive)."""
    if not _TOKEN_SHAPE.fullmatch(token or ""):
        return None
    row = db.session.scalar(
        select(FeedToken)
        .options(joinedload(FeedToken.user))
        .where(FeedToken.token_hash == token_hash(token))
    )
    if row is None or not row.user.active:
        return None
    if row.purpose == "advisor" and row.user.role != "advisor":
        return None
    return row


def feed_url(token: str) -> str:
    return f"{current_app.config['BASE_URL']}/calendar/{token}.ics"


def webcal_url(url: str) -> str:
    return re.sub(r"^https?://", "webcal://", url)


def google_subscribe_url(url: str) -> str:
    from urllib.parse import quote

    return "https://calendar.google.com/calendar/r?cid=" + quote(webcal_url(url), safe="")


def feed_links(token: str) -> dict:
    url = feed_url(token)
    return {"url": url, "webcal_url": webcal_url(url), "google_url": google_subscribe_url(url)}


# ---- prepared feeds ----------------------------------------------------------------------


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
    sources = advisor_sources if owner.purpose == "advisor" else private_sources
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


# ---- events ------------------------------------------------------------------------------


def event_page_url(event_id: int) -> str:
    return f"{current_app.config['BASE_URL']}/events/{event_id}"


def kind_label(kind: str) -> str:
    return {
        "seminar": _("セミナー・講演会"),
        "exchange": _("交流会・商談会"),
        "exhibition": _("展示会"),
        "other": _("その他"),
    }.get(kind, kind)


def event_location(event: Event) -> str:
    """Venue name and address; online events say so (their join URL never goes here)."""
    venue = "、".join(p for p in (event.venue_name, event.venue_address) if p)
    if event.format == "online" or not venue:
        return _("オンライン") if event.format in ("online", "hybrid") else venue
    return f"{venue} / {_('オンライン')}" if event.format == "hybrid" else venue


def event_item(event: Event, *, join_url: bool = False, kind: str = "event") -> CalendarItem:
    """An event as a calendar item; `join_url` only for people entitled to join.

    Call it inside `force_locale` for labels in the reader's language.
    """
    description = "\n\n".join(
        p.strip() for p in (event.summary, event.description, event.speakers) if p and p.strip()
    )
    return CalendarItem(
        kind=kind,
        id=event.id,
        summary=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        updated_at=event.updated_at,
        created_at=event.created_at,
        sequence=event.sequence,
        status="CANCELLED" if event.status == "cancelled" else "CONFIRMED",
        label=_("中止") if event.status == "cancelled" else "",
        description=description,
        location=event_location(event),
        url=event_page_url(event.id),
        join_url=(event.online_url or None) if join_url else None,
        categories=tuple(c for c in (kind_label(event.kind), event.unit.name) if c),
    )


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
            items = [event_item(e) for e in events]
        return build_feed(items, opts)

    return PreparedFeed(
        fingerprint=_digest(FORMAT_VERSION, opts, flt, count, moments, id_sum, seq_sum),
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


# ---- invitations -------------------------------------------------------------------------


def event_invitation(event_id: int, method: str, recipient: str | None = None) -> str | None:
    """Invitation builder for messages `about="event:<id>"`, ATTENDEE being the recipient.

    No join URL: a mail about the event as a whole may reach people not entitled to it;
    registrations attach their own item (with the join URL) under their own kind.
    """
    event = db.session.get(Event, event_id)
    if event is None or event.status == "draft":
        return None
    user = db.session.scalar(select(User).where(User.email == recipient)) if recipient else None
    locale = (user.locale if user else None) or "ja"
    with force_locale(locale):
        item = event_item(event)
        opts = settings.invitation_options(locale)
    name = user.full_name if user else ""
    return invitation(item, method, recipient, attendee_name=name, opts=opts)


register_invitation_builder("event", event_invitation)


@dataclass(frozen=True)
class Invitee:
    """What an invitation needs from a booking: its item and the person it is for."""

    item: CalendarItem
    email: str
    name: str = ""
    locale: str = "ja"


def register_item_invitations(kind: str, lookup: Callable[[int], Invitee | None]) -> None:
    """Attach invitations to messages `about="<kind>:<id>"` from `lookup(id)`.

    The one call a booking domain makes, e.g. at import of its services module:
    `register_item_invitations("registration", registration_invitee)`, where
    `registration_invitee(42)` returns `Invitee(item, user.email, user.full_name, user.locale)`
    or None (nothing to attach). The item carries the join URL if the person is entitled.
    `lookup` runs under the app's default locale; build labels with `force_locale` if needed.
    """

    def builder(ref_id: int, method: str) -> str | None:
        found = lookup(ref_id)
        if found is None:
            return None
        opts = settings.invitation_options(found.locale or "ja")
        return invitation(found.item, method, found.email, attendee_name=found.name, opts=opts)

    register_invitation_builder(kind, builder)
