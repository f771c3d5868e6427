"""The weekly digest (新着イベントのお知らせ): new events of what a person follows.

Exactly once per person per week, whatever the number of schedulers or commands running:

1. The week is claimed on the person's `DigestState` row by one conditional UPDATE
   (`week != this week` → this week). On PostgreSQL a second scheduler's UPDATE waits for
   the first one's row lock and then matches nothing; SQLite serialises writers. The loser
   plans nothing. A week with nothing new is claimed too, so it is not looked at again.
2. The mail is an outbox row with the key `follow_digest:<user>:<week>`, written in the same
   transaction as the claim: it exists if and only if the claim committed, and the
   dispatcher sends a key once (see booking/notifications/__init__.py).

"New" means not announced to this person before: the ids announced are kept on the row
(pruned once the events have ended), so an event published late, or opened for
applications later, still comes in the next digest, and none comes twice.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from booking.accounts.names import addressed_name
from booking.events.models import Event
from booking.events.recommendations import open_events_for
from booking.extensions import db
from booking.follows.models import DigestState, Follow
from booking.follows.policy import may_follow
from booking.localnames import localized
from booking.notifications.services import plan_message
from booking.timefmt import format_when, to_local

TEMPLATE = "follow_digest"
# A digest lists at most this many events (the soonest); the rest wait for the next one.
MOST = 20


def iso_week(now: datetime) -> str:
    """The chamber's week of `now`, e.g. `2026-W23` (ISO weeks start on Monday)."""
    year, week, _day = to_local(now).isocalendar()
    return f"{year}-W{week:02d}"


def people_due(now: datetime) -> list[int]:
    """Ids of people who follow something, want the digest and have not had this week's."""
    week = iso_week(now)
    return list(
        db.session.scalars(
            select(DigestState.user_id)
            .where(DigestState.week != week, DigestState.opted_out_at.is_(None))
            .where(select(Follow.id).where(Follow.user_id == DigestState.user_id).exists())
            .order_by(DigestState.user_id)
        )
    )


def _claim_week(user_id: int, week: str) -> bool:
    """Take this week's digest of one person; False if another run already took it."""
    claimed = db.session.execute(
        update(DigestState)
        .where(DigestState.user_id == user_id, DigestState.week != week,
               DigestState.opted_out_at.is_(None))
        .values(week=week)
        .execution_options(synchronize_session=False)
    ).rowcount  # fmt: skip
    return claimed == 1


def _still_upcoming(event_ids: list[int], now: datetime) -> list[int]:
    if not event_ids:
        return []
    return list(
        db.session.scalars(select(Event.id).where(Event.id.in_(event_ids), Event.ends_at > now))
    )


def new_events_for(user, followed: dict[int, object], announced: set[int], now: datetime):
    """[(event, the followed unit it is about)] not announced yet, soonest first."""
    found = []
    for event in open_events_for(user, now):
        if event.id in announced:
            continue
        about = [event.unit, *event.tags]
        unit = next((u for u in about if u.id in followed), None)
        if unit is not None:
            found.append((event, unit))
    return found[:MOST]


def send_digest(user_id: int, now: datetime) -> bool:
    """Claim this week's digest of one person and plan its mail if anything is new; True
    when a mail was planned."""
    week = iso_week(now)
    if not _claim_week(user_id, week):
        return False
    state = db.session.get(DigestState, user_id)
    db.session.refresh(state)
    user = state.user
    if not may_follow(user):
        return False
    followed = {
        f.unit_id: f.unit
        for f in db.session.scalars(select(Follow).where(Follow.user_id == user_id))
    }
    announced = set(_still_upcoming(list(state.announced or []), now))
    found = new_events_for(user, followed, announced, now)
    state.announced = sorted(announced | {event.id for event, _unit in found})
    db.session.flush()
    if not found:
        return False
    plan_message(
        f"{TEMPLATE}:{user_id}:{week}", user.email, TEMPLATE,
        digest_context(user, found), locale=user.locale or "ja", due_at=now,
        about=f"{TEMPLATE}:{user_id}", transactional=False,
    )  # fmt: skip
    return True


def digest_context(user, found) -> dict:
    """The mail's words, in the person's language (the context is rendered as it is)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    locale = user.locale or "ja"
    english = locale.startswith("en")
    with force_locale(locale):
        items = [
            {
                "title": event.title,
                "when": format_when(event.starts_at, event.ends_at, locale),
                "organiser": localized(event.unit, english),
                # Said only when the event is followed through one of its tags.
                "because": ""
                if unit.id == event.unit_id
                else _("フォロー中: %(name)s", name=localized(unit, english)),
                "url": f"{base}/events/{event.id}",
            }
            for event, unit in found
        ]
    return {
        "name": addressed_name(user, locale) or user.email,
        "items": items,
        "follows_url": f"{base}/mypage/follows",
        "unsubscribe_url": f"{base}/follows/unsubscribe/{unsubscribe_token(user.id)}",
    }


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="follow-digest-unsubscribe")


def unsubscribe_token(user_id: int) -> str:
    """The signed id in the digest's one-click opt-out link (no login needed, RFC 8058)."""
    return _serializer().dumps(user_id)


def user_id_of_token(token: str) -> int | None:
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def digest_still_holds(ref: int, version: int | None, now: datetime) -> bool:
    """The send-time check: the person still wants the digest and may still follow."""
    state = db.session.get(DigestState, ref)
    return state is not None and state.opted_out_at is None and may_follow(state.user)
