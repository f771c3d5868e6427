"""Mails about registrations, planned into the outbox in the caller's transaction.

Every message is `about="registration:<id>"` with the registration's `sequence` as its
version: when the registration changes again before the mail is due (cancelled, promoted,
moved), the about-check drops the stale mail instead of sending it. Mail after the event
(the thank-you, a survey reminder after the end) is `about="attendee:<id>"`: its check also
asks whether the person came (`policy.attendee_still_holds`), so no-shows are not thanked
for coming.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from booking.accounts.names import addressed_name
from booking.events.joining import attends_online, has_pass, join_url
from booking.events.models import Event, Registration
from booking.events.passes import cancel_link_token
from booking.events.payment import is_priced
from booking.events.queue import waitlist_position
from booking.events.survey_links import survey_url
from booking.extensions import db
from booking.localnames import fee, localized
from booking.notifications.reminders import (
    ReminderTarget,
    cancel_reminders,
    parse_offsets,
    plan_reminders,
)
from booking.notifications.services import cancel_messages, plan_message
from booking.timefmt import as_utc, format_deadline, format_when

THANKS_AFTER = timedelta(hours=3)


def about(reg: Registration) -> str:
    return f"registration:{reg.id}"


def attendee_about(reg: Registration) -> str:
    """What mail after the event is about: the registration, if its holder came."""
    return f"attendee:{reg.id}"


def _base_url() -> str:
    return current_app.config["BASE_URL"]


# `context`'s position when the caller does not know it: read it.
_READ = object()


def context(reg: Registration, kind: str, position=_READ, **extra) -> dict:
    """What every event mail shows: who, what, when, where, 受付番号 and the links.

    `position`: the waitlist position (None when not waiting), if the caller read it already.
    """
    event, user = reg.event, reg.user
    locale = user.locale or "ja"
    ctx = {
        "kind": kind,
        "name": addressed_name(user, locale) or user.email,
        "title": event.title,
        "when": format_when(event.starts_at, event.ends_at, locale),
        "sessions": [format_when(s.starts_at, s.ends_at, locale) for s in event.sessions]
        if len(event.sessions) > 1
        else [],
        "venue": " ".join(x for x in (event.venue_name, event.venue_address) if x)
        if reg.frame.mode == "in_person"
        else "",
        # A priced frame: its fee and how and when to pay (the mail words the default).
        "price": fee(reg.frame.price_label, english=locale.startswith("en"))
        if is_priced(reg.frame)
        else "",
        "payment_note": event.payment_note if is_priced(reg.frame) else "",
        "frame": localized(reg.frame, english=locale.startswith("en")),
        "mode": reg.frame.mode,
        "reference": reg.reference,
        "status": reg.status,
        "event_url": f"{_base_url()}/events/{event.id}",
        "mypage_url": f"{_base_url()}/mypage/",
        "cancel_url": f"{_base_url()}/r/{cancel_link_token(reg)}",
        "cancel_deadline": format_deadline(event.cancel_until or event.starts_at, locale),
        "position": waitlist_position(reg) if position is _READ else position,
        # A colleague (company administrator) registered the person: the mail says who.
        "registered_by": addressed_name(reg.registered_by, locale)
        if reg.registered_by is not None and reg.registered_by_id != reg.user_id
        else "",
    }
    if attends_online(reg):
        # No door online, so no QR pass: how to join instead (the mail says when the link
        # is still to come).
        if url := join_url(reg):
            ctx["join_url"] = url
    elif has_pass(reg):
        ctx["pass_url"] = f"{_base_url()}/mypage/registrations/{reg.id}"
        ctx["pass_token"] = reg.pass_token  # the QR code is drawn when the mail is rendered
    ctx.update(extra)
    return ctx


def _plan(reg: Registration, kind: str, now: datetime, invite: str | None = None, **extra):
    """Plan the notice of `kind` and return its context (reused for reminders)."""
    ctx = context(reg, kind, **extra)  # `extra` may hold the position, already read
    plan_message(
        f"{about(reg)}:{kind}:{reg.sequence}", reg.user.email, "event_notice", ctx,
        locale=reg.user.locale or "ja", due_at=now, about=about(reg),
        about_version=reg.sequence, invite=invite,
    )  # fmt: skip
    return ctx


def schedule(reg: Registration, now: datetime, ctx: dict | None = None) -> None:
    """Reminders at REMINDER_OFFSETS and the thank-you mail after the event (confirmed only)."""
    if reg.status != "confirmed" or reg.event.status == "cancelled":
        unschedule(reg)
        return
    event = reg.event
    base = dict(ctx or context(reg, "reminder"), change=None)
    target = reminder_target(reg, base)
    plan_reminders(
        target.about, target.recipient, target.locale, target.starts_at, target.template,
        target.context, now, target.version, ends_at=target.ends_at, event_id=event.id,
        about_after=target.about_after, own_rules=event.has_reminder_rules is not False,
    )  # fmt: skip
    _plan_session_reminders(reg, dict(base, kind="reminder"), now)
    _plan_thanks(reg, base)


def _plan_thanks(reg: Registration, base: dict) -> None:
    """The thank-you after the event, with the survey's link when the event has one."""
    plan_message(
        f"{about(reg)}:thanks", reg.user.email, "event_notice",
        dict(base, kind="thanks", survey_url=survey_url(reg.event)),
        locale=reg.user.locale or "ja", due_at=as_utc(reg.event.ends_at) + THANKS_AFTER,
        about=attendee_about(reg), about_version=reg.sequence,
    )  # fmt: skip


def replan_thanks(event: Event) -> None:
    """Staff attached (or removed) the survey: the thank-you mails not yet sent say so."""
    if event.status == "cancelled":
        return
    regs = db.session.scalars(
        select(Registration).where(
            Registration.event_id == event.id, Registration.status == "confirmed"
        )
    )
    for reg in regs:
        _plan_thanks(reg, dict(context(reg, "reminder"), change=None))


def reminder_target(reg: Registration, ctx: dict | None = None) -> ReminderTarget:
    """What the reminders of one registration need: the event's rules apply to it."""
    event = reg.event
    base = dict(ctx or context(reg, "reminder"), change=None, kind="reminder")
    return ReminderTarget(
        about(reg), reg.user.email, reg.user.locale or "ja", event.starts_at, event.ends_at,
        "event_notice", base, version=reg.sequence, about_after=attendee_about(reg),
    )  # fmt: skip


def reminder_targets(event_id: int) -> list[ReminderTarget]:
    """The reminder provider: every confirmed registration of a live event, for re-planning."""
    event = db.session.get(Event, event_id)
    if event is None or event.status == "cancelled":
        return []
    regs = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event_id, Registration.status == "confirmed")
        .order_by(Registration.id)
    )
    return [reminder_target(reg) for reg in regs]


def _plan_session_reminders(reg: Registration, ctx: dict, now: datetime) -> None:
    """A series (連続講座): reminders before each later session too, under the same prefix."""
    locale = reg.user.locale or "ja"
    for n, session in enumerate(reg.event.sessions[1:], start=2):
        for label, offset in parse_offsets(current_app.config["REMINDER_OFFSETS"]):
            key = f"reminder:{about(reg)}:s{n}:{label}"
            due = as_utc(session.starts_at) - offset
            if due <= now:
                cancel_messages(key)
                continue
            session_ctx = dict(ctx, offset=label, session=n,
                               when=format_when(session.starts_at, session.ends_at, locale))  # fmt: skip
            plan_message(
                key, reg.user.email, "event_notice", session_ctx, locale=locale, due_at=due,
                about=about(reg), about_version=reg.sequence,
            )  # fmt: skip


def unschedule(reg: Registration) -> None:
    cancel_reminders(about(reg))
    cancel_messages(f"{about(reg)}:thanks")


def registered(reg: Registration, now: datetime, position: int | None) -> dict:
    """The mail of a new registration and its reminders; returns what the mail shows.

    `position`: where the person waits (None unless waitlisted), read with the frame's seats."""
    kinds = {"confirmed": "confirmed", "waitlisted": "waitlisted", "applied": "applied"}
    invite = "REQUEST" if reg.status == "confirmed" else None
    ctx = _plan(reg, kinds[reg.status], now, invite=invite, position=position)
    schedule(reg, now, ctx)
    return ctx


def promoted(reg: Registration, now: datetime) -> None:
    schedule(reg, now, _plan(reg, "promoted", now, invite="REQUEST"))


def lottery_result(reg: Registration, now: datetime) -> None:
    won = reg.status == "confirmed"
    ctx = _plan(
        reg, "lottery_won" if won else "lottery_lost", now, invite="REQUEST" if won else None
    )
    schedule(reg, now, ctx)


def cancelled(reg: Registration, now: datetime, kind: str = "cancelled", **extra) -> None:
    _plan(reg, kind, now, invite="CANCEL", **extra)
    unschedule(reg)


def changed(reg: Registration, now: datetime, what: str) -> None:
    """Time or place changed (or moved online): a new invitation and re-timed reminders."""
    invite = "REQUEST" if reg.status == "confirmed" else None
    schedule(reg, now, _plan(reg, "changed", now, invite=invite, change=what))


def switched_online(reg: Registration, now: datetime) -> None:
    """The person moved to an online frame: a notice with the join URL, a new invitation and
    reminders re-planned with the new context."""
    schedule(reg, now, _plan(reg, "switched_online", now, invite="REQUEST"))


def staff_message(reg: Registration, now: datetime, subject: str, body: str, batch: str):
    plan_message(
        f"{about(reg)}:message:{batch}", reg.user.email, "event_notice",
        context(reg, "message", subject=subject, body=body), locale=reg.user.locale or "ja",
        due_at=now, about=about(reg),
    )  # fmt: skip


def registration_still_holds(ref: int, version: int | None, now: datetime) -> bool:
    """The about-check: the registration exists and has not changed since the mail was planned."""
    row = db.session.execute(
        select(Registration.sequence, Registration.status, Event.status)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.id == ref)
    ).first()
    if row is None:
        return False
    sequence, _status, _event_status = row
    return version is None or version == sequence


def event_still_holds(ref: int, version: int | None, now: datetime) -> bool:
    """The about-check of mail about a whole event: it exists and has not changed since."""
    sequence = db.session.scalar(select(Event.sequence).where(Event.id == ref))
    if sequence is None:
        return False
    return version is None or version == sequence
