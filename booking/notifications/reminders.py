"""Reminders: `REMINDER_OFFSETS` (ISO 8601 durations before the start) and per-event rules.

The events domain (or any domain with bookings) calls `plan_reminders(...)` when a booking is
made and again whenever its time changes (the same rows are re-timed), and
`cancel_reminders(about)` when the booking is cancelled. Staff edit an event's reminders with
`save_reminder_rule` / `delete_reminder_rule`; the bookings of that event are re-planned
through the providers the booking domains registered with
`hooks.register_reminder_targets(app, name, provider)` in their `init_app`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import isodate
from flask import current_app
from sqlalchemy import select, update

from booking.errors import Invalid, NotFound
from booking.extensions import db
from booking.notifications.hooks import hooks_of
from booking.notifications.models import ANCHORS, DIRECTIONS, OutboxMessage, ReminderRule
from booking.notifications.new_subjects import is_new
from booking.notifications.services import cancel_messages, plan_message
from booking.timefmt import as_utc, now_utc

# A reminder after the start or end (materials, survey) is still useful for this long.
LATE_WINDOW = timedelta(days=1)


def parse_duration(part: str) -> timedelta:
    """:raises ValueError: not a positive ISO 8601 duration of days, hours or minutes."""
    try:
        value = isodate.parse_duration(part)
    except (isodate.ISO8601Error, ValueError) as exc:
        raise ValueError(f"{part!r} is not an ISO 8601 duration") from exc
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise ValueError(f"{part!r} must be a positive duration")
    return value


def parse_offsets(text: str) -> list[tuple[str, timedelta]]:
    """`P1D,PT1H` → [("P1D", 1 day), ("PT1H", 1 hour)].

    :raises ValueError: a part is not an ISO 8601 duration of days, hours or minutes.
    """
    offsets = []
    for part in (p.strip() for p in (text or "").split(",")):
        if not part:
            continue
        try:
            offsets.append((part, parse_duration(part)))
        except ValueError as exc:
            raise ValueError(f"REMINDER_OFFSETS: {exc}") from exc
    return offsets


@dataclass(frozen=True)
class Rule:
    """One effective reminder of an event (a default from the configuration or a staff rule)."""

    label: str
    anchor: str = "start"
    direction: str = "before"
    duration: timedelta = timedelta(days=1)
    texts: dict = field(default_factory=dict)  # {"ja": (subject, body), "en": (…)}

    def due(self, starts_at: datetime, ends_at: datetime | None) -> datetime:
        base = as_utc(ends_at if self.anchor == "end" and ends_at else starts_at)
        return base + self.duration if self.direction == "after" else base - self.duration

    def text_for(self, locale: str) -> tuple[str, str]:
        subject, body = self.texts.get(locale[:2], ("", ""))
        fallback = self.texts.get("ja", ("", ""))
        return subject or fallback[0], body or fallback[1]


def effective_rules(event_id: int | None, own_rules: bool = True) -> list[Rule]:
    """The configured offsets, overridden (or switched off) and extended by the event's rules
    (not read when the caller knows there are none: `own_rules=False`)."""
    rules = {
        label: Rule(label, duration=value)
        for label, value in parse_offsets(current_app.config["REMINDER_OFFSETS"])
    }
    if event_id is not None and own_rules:
        for row in db.session.scalars(
            select(ReminderRule).where(ReminderRule.event_id == event_id).order_by(ReminderRule.id)
        ):
            if not row.active:
                rules.pop(row.label, None)
                continue
            rules[row.label] = Rule(
                row.label, row.anchor, row.direction, parse_duration(row.duration),
                {"ja": (row.subject, row.body), "en": (row.subject_en, row.body_en)},
            )  # fmt: skip
    return list(rules.values())


def plan_reminders(
    about: str,
    recipient: str,
    locale: str,
    starts_at: datetime,
    template: str,
    context: dict,
    now: datetime,
    version: int | None = None,
    *,
    ends_at: datetime | None = None,
    event_id: int | None = None,
    about_after: str | None = None,
    own_rules: bool = True,
) -> int:
    """Plan the reminders of one booking; returns how many are waiting to go out.

    Keys are `reminder:<about>:<label>` (`P1D`, `end+P1D`), so calling this again after a
    change of time re-times the same rows. A reminder whose time has already passed is not
    planned (and one planned earlier is cancelled): it is skipped, never fired late. One
    before the start is never sent once the event started (`not_after`). With `event_id`,
    staff's rules for that event apply (their subject and body reach the template as
    `reminder_subject` / `reminder_body`). A reminder due once the booking has ended
    (materials, survey) has `after_end` set in its context and, with `about_after`, is about
    that instead (e.g. `attendee:42`: sent only to people who came). `own_rules=False`: the
    caller read with the event that it has no rules of its own, so they are not read again.
    """
    start = as_utc(starts_at)
    planned, keep = 0, set()
    for rule in effective_rules(event_id, own_rules):
        key = f"reminder:{about}:{rule.label}"
        due = rule.due(start, ends_at)
        if due <= now:
            _cancel_key(key)
            continue
        keep.add(key)
        subject, body = rule.text_for(locale or "ja")
        not_after = start if due < start else due + LATE_WINDOW
        after_end = ends_at is not None and due >= as_utc(ends_at)
        plan_message(
            key, recipient, template,
            dict(context, offset=rule.label, anchor=rule.anchor, reminder_subject=subject,
                 reminder_body=body, after_end=after_end),
            locale=locale, due_at=due, not_after=not_after,
            about=about_after if after_end and about_after else about,
            about_version=version, transactional=True,
        )  # fmt: skip
        planned += 1
    # A rule staff removed: its pending reminders go too. Keys with a further part (a
    # series' `s2:P1D`) are the booking domain's own and stay.
    prefix = f"reminder:{about}:"
    if is_new(prefix):
        return planned
    for key in db.session.scalars(
        select(OutboxMessage.dedupe_key).where(
            OutboxMessage.dedupe_key.startswith(prefix, autoescape=True),
            OutboxMessage.status == "pending",
        )
    ).all():
        if key not in keep and ":" not in key[len(prefix) :]:
            _cancel_key(key)
    return planned


def cancel_reminders(about: str) -> int:
    """Cancel every pending reminder of one booking."""
    return cancel_messages(f"reminder:{about}:")


def _cancel_key(key: str) -> None:
    if is_new(key):
        return
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.dedupe_key == key, OutboxMessage.status == "pending")
        .values(status="cancelled", updated_at=now_utc())
        .execution_options(synchronize_session=False)
    )


# --- staff-edited rules and the bookings they apply to ----------------------------------


@dataclass
class ReminderTarget:
    """What `plan_reminders` needs for one booking of an event."""

    about: str
    recipient: str
    locale: str
    starts_at: datetime
    ends_at: datetime | None
    template: str
    context: dict
    version: int | None = None
    about_after: str | None = None


def replan_event_reminders(event_id: int, now: datetime) -> int:
    """Re-plan the reminders of every booking of an event (after its rules changed)."""
    planned = 0
    for provider in hooks_of().reminder_targets.values():
        for t in provider(event_id):
            planned += plan_reminders(
                t.about, t.recipient, t.locale, t.starts_at, t.template, t.context, now,
                t.version, ends_at=t.ends_at, event_id=event_id, about_after=t.about_after,
            )  # fmt: skip
    return planned


def event_rules(event_id: int) -> list[ReminderRule]:
    return list(
        db.session.scalars(
            select(ReminderRule).where(ReminderRule.event_id == event_id).order_by(ReminderRule.id)
        )
    )


def save_reminder_rule(
    event_id: int,
    now: datetime,
    *,
    anchor: str,
    direction: str,
    duration: str,
    subject: str = "",
    body: str = "",
    subject_en: str = "",
    body_en: str = "",
    active: bool = True,
    rule_id: int | None = None,
) -> ReminderRule:
    """Staff: add or change one reminder of an event, then re-plan its bookings' reminders.

    :raises Invalid: unknown anchor or direction, or a duration that is not ISO 8601.
    :raises NotFound: `rule_id` is not a rule of this event.
    """
    if anchor not in ANCHORS:
        raise Invalid(field="anchor")
    if direction not in DIRECTIONS:
        raise Invalid(field="direction")
    duration = (duration or "").strip().upper()
    try:
        parse_duration(duration)
    except ValueError as exc:
        raise Invalid(str(exc), field="duration") from exc
    if rule_id is not None:
        rule = db.session.get(ReminderRule, rule_id)
        if rule is None or rule.event_id != event_id:
            raise NotFound()
    else:
        rule = db.session.scalar(
            select(ReminderRule).where(
                ReminderRule.event_id == event_id,
                ReminderRule.anchor == anchor,
                ReminderRule.direction == direction,
                ReminderRule.duration == duration,
            )
        ) or ReminderRule(event_id=event_id)
        db.session.add(rule)
    rule.anchor, rule.direction, rule.duration, rule.active = anchor, direction, duration, active
    rule.subject, rule.body = subject.strip()[:200], body.strip()
    rule.subject_en, rule.body_en = subject_en.strip()[:200], body_en.strip()
    db.session.flush()
    replan_event_reminders(event_id, now)
    return rule


def delete_reminder_rule(event_id: int, rule_id: int, now: datetime) -> None:
    """Staff: remove a rule (a default offset comes back); pending reminders are re-planned.

    :raises NotFound: not a rule of this event.
    """
    rule = db.session.get(ReminderRule, rule_id)
    if rule is None or rule.event_id != event_id:
        raise NotFound()
    db.session.delete(rule)
    db.session.flush()
    replan_event_reminders(event_id, now)
