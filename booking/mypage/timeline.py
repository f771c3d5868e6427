"""My Page's timeline: every booking of a person (event registrations, consultations, 商談)
as one kind of item, in date order, with the actions each allows now.

One small function per domain turns its bookings into `Item`s; every "may" it shows comes
from that domain's policy module, so the template decides nothing. Upcoming items are the
bookings still on that have not ended; the rest (ended, cancelled, or called off by the
organiser) are history, newest first, and never carry a cancel action (an attended event
may offer its survey).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _

from booking.consultations import policy as consultation_policy
from booking.consultations.catalogue import local_name
from booking.consultations.services import consultations_of_member
from booking.events import policy as event_policy
from booking.events.catalogue import my_registrations
from booking.events.registrations import waitlist_position
from booking.events.survey_links import survey_path
from booking.events.surveys import survey_pending
from booking.events.words import event_words
from booking.exhibitions import policy as fair_policy
from booking.exhibitions.meetings.forms import mode_labels
from booking.exhibitions.meetings.services import meetings_of_visitor
from booking.timefmt import as_utc


@dataclass(frozen=True)
class Action:
    """A link the card offers: `style` is "primary" (the main thing to do now) or "plain"."""

    label: str
    url: str
    style: str = "plain"
    code: str = ""  # what it does, for tests and styling: pass, join, change, cancel, online


@dataclass
class Item:
    kind: str  # event | consultation | meeting
    kind_label: str
    title: str
    url: str
    starts_at: datetime
    ends_at: datetime
    facts: list[str] = field(default_factory=list)
    status: str = ""  # a badge code: confirmed, waitlisted, applied, booked, attended, …
    status_label: str = ""
    actions: list[Action] = field(default_factory=list)
    upcoming: bool = True


# ---- events


def _event_outcome(reg) -> tuple[str, str]:
    """What happened to a registration that is history."""
    if reg.status == "cancelled":
        return "cancelled", _("キャンセル済み")
    if reg.event.status == "cancelled":
        return "called_off", _("開催中止")
    if event_policy.attended(reg):
        return "attended", _("参加済み")
    if reg.status == "confirmed":
        return "no_show", _("欠席")
    return "not_held", _("参加なし")


def event_items(user, now: datetime) -> list[Item]:
    """The person's event registrations (exhibitions' visitor registrations included)."""
    upcoming, past = my_registrations(user, now)
    words = event_words()
    items = []
    for reg in [*upcoming, *past]:
        event = reg.event
        on = reg.is_active and event.status != "cancelled" and as_utc(event.ends_at) > now
        facts = [reg.frame.name]
        if reg.frame.mode != "online" and event.venue_name:
            facts.append(event.venue_name)
        facts.append(_("受付番号 %(ref)s", ref=reg.reference))
        item = Item(
            "event", words["kind"].get(event.kind, _("イベント")), event.title,
            url_for("events.registration", reg_id=reg.id), event.starts_at, event.ends_at,
            facts, upcoming=on,
        )  # fmt: skip
        if on:
            item.status = reg.status
            item.status_label = words["status"][reg.status]
            position = waitlist_position(reg) if reg.status == "waitlisted" else None
            if position:
                item.status_label = _("キャンセル待ち%(n)s番目", n=position)
            item.actions = _event_actions(reg, now)
        else:
            item.status, item.status_label = _event_outcome(reg)
            if survey_pending(reg, now):  # the only thing history offers: the survey
                item.actions = [Action(_("アンケートに回答する"), survey_path(event.id),
                                       "primary", "survey")]  # fmt: skip
        items.append(item)
    return items


def _event_actions(reg, now: datetime) -> list[Action]:
    actions = []
    if event_policy.has_pass(reg):
        actions.append(Action(_("参加証を表示"), url_for("mypage.event_pass", reg_id=reg.id),
                              "primary", "pass"))  # fmt: skip
    join = event_policy.join_url(reg)
    if join:
        actions.append(Action(_("オンラインで参加する"), join, "primary", "join"))
    if event_policy.online_frames_open_to(reg, now):
        actions.append(Action(_("オンライン参加に変更する"),
                              url_for("events.switch_online", reg_id=reg.id), code="online"))  # fmt: skip
    if event_policy.can_cancel(reg, now):
        label = _("キャンセル待ちを取り消す") if reg.status == "waitlisted" else _("キャンセルする")
        actions.append(Action(label, url_for("events.cancel", reg_id=reg.id), code="cancel"))
    return actions


# ---- consultations


def _consultation_place(c) -> str:
    """Where it happens: the counter (branch or consultation day), online, or by phone."""
    if c.consultation_day is not None:
        return c.consultation_day.venue_name or c.consultation_day.title
    if c.channel.slug == "branch" and c.branch is not None:
        return c.branch.name
    return local_name(c.channel)


def _consultation_outcome(c) -> tuple[str, str]:
    if not c.active:
        return "cancelled", _("キャンセル済み")
    attendance = c.record.attendance if c.record is not None else None
    if attendance == "attended":
        return "attended", _("参加済み")
    if attendance == "no_show":
        return "no_show", _("欠席")
    return "ended", _("終了")


def consultation_items(user, now: datetime) -> list[Item]:
    items = []
    for c in consultations_of_member(user):
        on = c.active and as_utc(c.ends_at) > now
        facts = [
            local_name(c.channel),
            _consultation_place(c),
            _("担当 %(name)s", name=c.advisor.name),
        ]
        item = Item(
            "consultation", _("経営相談"), local_name(c.theme),
            url_for("consultations.detail", consultation_id=c.id), c.starts_at, c.ends_at,
            list(dict.fromkeys(facts)), upcoming=on,
        )  # fmt: skip
        if on:
            item.status, item.status_label = "booked", _("予約済み")
            item.actions = _consultation_actions(user, c, now)
        else:
            item.status, item.status_label = _consultation_outcome(c)
        items.append(item)
    return items


def _consultation_actions(user, c, now: datetime) -> list[Action]:
    actions = []
    join = consultation_policy.join_url(c)
    if join:
        actions.append(Action(_("オンラインで参加する"), join, "primary", "join"))
    if consultation_policy.may_cancel(c, now):
        if not consultation_policy.past_cutoff_for(user, c, now):
            actions.append(Action(_("日時を変更する"),
                                  url_for("consultations.reschedule", consultation_id=c.id),
                                  code="change"))  # fmt: skip
        actions.append(Action(_("キャンセルする"),
                              url_for("consultations.cancel", consultation_id=c.id),
                              code="cancel"))  # fmt: skip
    return actions


# ---- 商談 at trade fairs


def meeting_items(user, now: datetime) -> list[Item]:
    modes = mode_labels()
    items = []
    for m in meetings_of_visitor(user):
        on = m.active and as_utc(m.ends_at) > now
        facts = [str(modes.get(m.mode, m.mode)), m.exhibition.event.title]
        item = Item(
            "meeting", _("商談"), m.exhibitor.name, url_for("meetings.detail", meeting_id=m.id),
            m.starts_at, m.ends_at, facts, upcoming=on,
        )  # fmt: skip
        if on:
            item.status, item.status_label = "booked", _("予約済み")
            join = fair_policy.shown_join_url(m)
            if join:
                item.actions.append(Action(_("オンラインで参加する"), join, "primary", "join"))
            if fair_policy.may_cancel_meeting(m, now):
                item.actions.append(Action(_("キャンセルする"),
                                           url_for("meetings.cancel", meeting_id=m.id),
                                           code="cancel"))  # fmt: skip
        elif not m.active:
            item.status, item.status_label = "cancelled", _("キャンセル済み")
        else:
            item.status, item.status_label = "ended", _("終了")
        items.append(item)
    return items


SOURCES = (event_items, consultation_items, meeting_items)


def timeline(user, now: datetime) -> tuple[list[Item], list[Item]]:
    """(upcoming in date order, history newest first) of every kind of booking."""
    items = [item for source in SOURCES for item in source(user, now)]
    upcoming = sorted((i for i in items if i.upcoming), key=lambda i: as_utc(i.starts_at))
    history = sorted(
        (i for i in items if not i.upcoming), key=lambda i: as_utc(i.starts_at), reverse=True
    )
    return upcoming, history
