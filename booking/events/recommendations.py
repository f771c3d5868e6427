"""Which upcoming events My Page recommends to a person, and the one-line reason why.

The rule is `recommendation_for`: it weighs what the person's company cares about (its
fields of interest, its section and branch, as the membership roster and My Page hold them)
and what the person came to before, against what an event is about (its organising unit and
its tags). Which events are candidates at all (`open_events_for`) is the catalogue's rule of
visibility plus "one can still apply and has not yet".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.events.catalogue import my_registrations, visible_events
from booking.events.models import ACTIVE_STATUSES, Event, Registration
from booking.events.policy import attended
from booking.events.registrations import audience_allows, frame_state
from booking.events.words import event_words
from booking.extensions import db
from booking.localnames import localized
from booking.timefmt import as_utc

# How much each kind of match counts: a field the company chose itself says most, then the
# section and branch the roster gives it, then what the person came to before.
WEIGHTS = {"interest": 4, "section": 3, "branch": 2, "past_unit": 2, "past_kind": 1}
# Frame states in which a person can still apply (a lottery or a waitlist included).
APPLICABLE = ("open", "few_left", "waitlist", "lottery")
# How many upcoming events are weighed at most (the soonest), and shown.
CANDIDATES, SHOWN = 200, 5


@dataclass
class Profile:
    """What the rule knows of a person, in unit ids and event kinds."""

    interests: dict[int, object] = field(default_factory=dict)  # unit id → Unit
    section: object | None = None
    branch: object | None = None
    attended_units: dict[int, str] = field(default_factory=dict)  # unit id → a past title
    attended_kinds: dict[str, str] = field(default_factory=dict)  # kind → its words


@dataclass(frozen=True)
class Recommendation:
    event: Event
    score: int
    reason: str  # the strongest match, in one line: 関心分野: 情報通信部会


def recommendation_for(profile: Profile, event: Event) -> Recommendation | None:
    """THE rule: score an event for a person; None when nothing connects them.

    An event is about its organising unit and its tags. Each match adds its weight
    (`WEIGHTS`); attending before counts once, by the same organiser rather than merely the
    same kind. The reason shown is the heaviest match (the first of equals, in the order
    interest, section, branch, past attendance).
    """
    about = {event.unit_id, *(tag.id for tag in event.tags)}
    matches: list[tuple[int, str]] = []
    for unit_id in sorted(about & profile.interests.keys()):
        name = localized(profile.interests[unit_id])
        matches.append((WEIGHTS["interest"], _("関心分野: %(name)s", name=name)))
    if profile.section is not None and profile.section.id in about:
        name = localized(profile.section)
        matches.append((WEIGHTS["section"], _("所属部会: %(name)s", name=name)))
    if profile.branch is not None and profile.branch.id == event.unit_id:
        matches.append((WEIGHTS["branch"], _("支部: %(name)s", name=localized(profile.branch))))
    if event.unit_id in profile.attended_units:
        title = profile.attended_units[event.unit_id]
        matches.append((WEIGHTS["past_unit"], _("以前の参加: %(title)s", title=title)))
    elif event.kind in profile.attended_kinds:
        title = profile.attended_kinds[event.kind]
        matches.append((WEIGHTS["past_kind"], _("以前の参加: %(title)s", title=title)))
    if not matches:
        return None
    best = max(matches, key=lambda m: m[0])  # max keeps the first of equal weights
    return Recommendation(event, sum(weight for weight, _reason in matches), best[1])


def profile_of(user, now: datetime) -> Profile:
    """The person's company (interests, section, branch) and the events they came to."""
    company = getattr(user, "company", None)
    profile = Profile()
    if company is not None:
        profile.interests = {unit.id: unit for unit in company.interests}
        profile.section, profile.branch = company.section, company.branch
    words = event_words()["kind"]
    _upcoming, past = my_registrations(user, now)
    for reg in past:  # newest first: the reason names the latest time they came
        if attended(reg):
            profile.attended_units.setdefault(reg.event.unit_id, reg.event.title)
            profile.attended_kinds.setdefault(reg.event.kind, words.get(reg.event.kind, ""))
    return profile


def open_events_for(user, now: datetime) -> list[Event]:
    """Upcoming events the person may see and still apply to, not already applied to."""
    mine = select(Registration.event_id).where(
        Registration.user_id == user.id, Registration.status.in_(ACTIVE_STATUSES)
    )
    query = (
        visible_events(user)
        .where(Event.starts_at > now, Event.id.not_in(mine))
        .order_by(Event.starts_at, Event.id)
        .limit(CANDIDATES)
        .options(selectinload(Event.frames), selectinload(Event.tags), selectinload(Event.unit))
    )
    return [
        event
        for event in db.session.scalars(query)
        if any(
            audience_allows(frame, user) and frame_state(frame, now) in APPLICABLE
            for frame in event.frames
        )
    ]


def recommended_events(user, now: datetime, limit: int = SHOWN) -> list[Recommendation]:
    """The best matches, highest score first, then the soonest."""
    profile = profile_of(user, now)
    found = [r for e in open_events_for(user, now) if (r := recommendation_for(profile, e))]
    found.sort(key=lambda r: (-r.score, as_utc(r.event.starts_at), r.event.id))
    return found[:limit]
