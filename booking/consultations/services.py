"""Consultation bookings: book, reschedule, cancel, records. Callers commit once.

The no-overlap guarantee: every write that gives an advisor a time takes a row lock on the
advisor (`SELECT … FOR UPDATE` on PostgreSQL; on SQLite `BEGIN IMMEDIATE` already serialises
writers) and only then checks for an overlapping active booking, inside the same transaction.
The loser of a race therefore sees the winner's row and gets `SlotTaken`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from booking.accounts.models import User
from booking.consultations.catalogue import channel_by_slug
from booking.consultations.models import (
    Advisor,
    Consultation,
    Theme,
)
from booking.consultations.notify import announce
from booking.consultations.policy import is_staff_actor, may_cancel, may_manage, past_cutoff_for
from booking.consultations.slots import free_slots, is_closed_day
from booking.errors import Invalid, NotAllowed, NotFound, SlotTaken
from booking.extensions import db
from booking.org.services import unit_by_key
from booking.timefmt import as_utc, local_zone


@dataclass
class Intake:
    """The intake questionnaire: common questions and the theme's own (question → answer)."""

    topic: str = ""
    situation: str = ""
    goal: str = ""
    answers: dict = field(default_factory=dict)
    # Reasonable accommodation (`booking.accommodation.requested`): codes and the person's words.
    accommodations: list = field(default_factory=list)
    accommodation_note: str = ""


def book_consultation(
    member: User,
    theme: Theme,
    channel_slug: str,
    start: datetime,
    now: datetime,
    *,
    advisor_id: int | None = None,
    branch_id: int | None = None,
    intake: Intake | None = None,
    booked_by: User | None = None,
    follow_up_of: Consultation | None = None,
) -> Consultation:
    """Book one slot for `member`; with no `advisor_id`, route to the least-loaded advisor.

    Any-advisor rule: among the advisors covering the theme who are free at `start` (and at
    the branch / channel asked for), the one with the fewest active bookings in that local
    week (Monday–Sunday) gets it; ties go to the lowest advisor id.

    :raises Invalid: past, inside the minimum notice, beyond the horizon, closed day, outside
        availability, or an empty topic.
    :raises NotAllowed: the person may not book consultations.
    :raises SlotTaken: someone else got the slot first.
    """
    if member.role not in ("member", "staff", "advisor", "admin"):
        raise NotAllowed(
            _l("経営相談のご予約は会員の方のみご利用いただけます。"), code="members_only"
        )
    intake = intake or Intake()
    if not intake.topic.strip():
        raise Invalid(_l("ご相談の概要を入力してください。"), field="topic", code="topic_required")
    start = as_utc(start)
    _check_window(theme, start, now, exempt=is_staff_actor(booked_by))
    candidates = _candidates(theme, channel_slug, start, now, advisor_id, branch_id)
    slot_by_advisor = {s.advisor_id: s for s in candidates}

    _lock_advisors(slot_by_advisor)
    for aid in any_advisor_order(list(slot_by_advisor), start):
        slot = slot_by_advisor[aid]
        if _overlaps(aid, slot.start, slot.end, theme):
            continue
        channel = channel_by_slug(slot.channel)
        consultation = Consultation(
            member=member,
            company_id=member.company_id,
            advisor_id=aid,
            theme=theme,
            channel=channel,
            branch_id=_unit_id(slot.branch),
            starts_at=slot.start,
            ends_at=slot.end,
            consultation_day_id=slot.consultation_day_id,
            topic=intake.topic.strip()[:200],
            situation=intake.situation.strip(),
            goal=intake.goal.strip(),
            answers=dict(intake.answers),
            accommodations=list(intake.accommodations),
            accommodation_note=intake.accommodation_note,
            booked_by_id=booked_by.id if booked_by else None,
            follow_up_of_id=follow_up_of.id if follow_up_of else None,
            created_at=now,
            updated_at=now,
        )
        db.session.add(consultation)
        db.session.flush()
        announce(consultation, "booked", now)
        return consultation
    raise SlotTaken(_l("この枠はたった今、ほかの方が予約されました。別の枠をお選びください。"))


def _check_window(theme: Theme, start: datetime, now: datetime, exempt: bool) -> None:
    if start <= now:
        raise Invalid(_l("過去の日時は予約できません。"), field="start", code="slot_in_past")
    if exempt:
        return
    if start < now + timedelta(hours=theme.min_notice_hours):
        raise Invalid(
            _l("ご予約は開始の%(hours)s時間前までにお願いします。", hours=theme.min_notice_hours),
            field="start",
            code="too_soon",
        )
    if start > now + timedelta(days=theme.horizon_days):
        raise Invalid(
            _l("ご予約は%(days)s日先までです。", days=theme.horizon_days),
            field="start",
            code="beyond_horizon",
        )


def _candidates(theme, channel_slug, start, now, advisor_id, branch_id, exclude=None):
    """Slots at exactly `start` inside availability (bookings not yet considered)."""
    found = [
        s
        for s in free_slots(
            theme,
            start,
            start + timedelta(minutes=1),
            now,
            branch_id=branch_id,
            channel_slug=channel_slug or None,
            advisor_id=advisor_id,
            ignore_window=True,
            ignore_bookings=True,
            exclude_consultation_id=exclude,
        )
        if s.start == start
    ]
    if not found:
        if is_closed_day(start.astimezone(local_zone()).date()):
            raise Invalid(
                _l("祝日・年末年始は休業日のため予約できません。"), field="start", code="closed_day"
            )
        raise Invalid(_l("その日時は相談受付時間外です。"), field="start", code="not_available")
    return found


def _lock_advisors(advisor_ids) -> None:
    """Row locks in id order (no deadlocks between two any-advisor bookings)."""
    db.session.execute(
        select(Advisor.id)
        .where(Advisor.id.in_(sorted(advisor_ids)))
        .order_by(Advisor.id)
        .with_for_update()
    )


def _overlaps(advisor_id: int, start: datetime, end: datetime, theme: Theme, exclude=None) -> bool:
    buffer = timedelta(minutes=theme.buffer_minutes)
    query = select(Consultation.id).where(
        Consultation.advisor_id == advisor_id,
        Consultation.status == "booked",
        Consultation.starts_at < end + buffer,
        Consultation.ends_at > start - buffer,
    )
    if exclude is not None:
        query = query.where(Consultation.id != exclude)
    return db.session.scalar(query.limit(1)) is not None


def weekly_loads(advisor_ids: list[int], start: datetime) -> dict[int, int]:
    """Active bookings of each advisor in the local week (Monday–Sunday) containing `start`."""
    zone = local_zone()
    local = start.astimezone(zone)
    monday = (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    rows = db.session.execute(
        select(Consultation.advisor_id, func.count())
        .where(
            Consultation.advisor_id.in_(advisor_ids),
            Consultation.status == "booked",
            Consultation.starts_at >= monday,
            Consultation.starts_at < monday + timedelta(days=7),
        )
        .group_by(Consultation.advisor_id)
    )
    loads = dict.fromkeys(advisor_ids, 0)
    loads.update({aid: n for aid, n in rows})
    return loads


def any_advisor_order(advisor_ids: list[int], start: datetime) -> list[int]:
    """The any-advisor rule: who gets a booking made for "any advisor", in order of preference.

    The fewest active bookings in the local week of `start` first, ties to the lowest id;
    `book_consultation` gives the slot to the first of them still free at `start`.
    """
    loads = weekly_loads(advisor_ids, start)
    return sorted(advisor_ids, key=lambda aid: (loads[aid], aid))


def _unit_id(slug: str | None) -> int | None:
    if not slug:
        return None
    unit = unit_by_key(f"branch:{slug}")
    return unit.id if unit else None


def last_advisor_id(member: User, theme: Theme | None = None) -> int | None:
    """The advisor of the member's most recent consultation ("same advisor as last time")."""
    query = select(Consultation.advisor_id).where(Consultation.member_id == member.id)
    if theme is not None:
        query = query.where(Consultation.theme_id == theme.id)
    return db.session.scalar(query.order_by(Consultation.starts_at.desc()).limit(1))


# ---- change and cancel


def reschedule_consultation(
    consultation: Consultation, start: datetime, now: datetime, actor: User | None
) -> Consultation:
    """Move a booking to another free start of the same advisor, theme and channel.

    The old slot frees in the same transaction. Members may do it until the theme's cut-off;
    staff at any time before the start.

    :raises NotAllowed: after the cut-off (members) or once cancelled.
    :raises Invalid | SlotTaken: as for booking.
    """
    if not consultation.active:
        raise NotAllowed(_l("キャンセル済みのご予約は変更できません。"), code="not_active")
    if past_cutoff_for(actor, consultation, now):
        raise NotAllowed(
            _l("変更の受付期限を過ぎています。お電話でご相談ください。"), code="cutoff_passed"
        )
    start = as_utc(start)
    theme = consultation.theme
    _check_window(theme, start, now, exempt=is_staff_actor(actor))
    slots = _candidates(
        theme,
        consultation.channel.slug,
        start,
        now,
        consultation.advisor_id,
        None,
        exclude=consultation.id,
    )
    _lock_advisors([consultation.advisor_id])
    slot = slots[0]
    if _overlaps(consultation.advisor_id, slot.start, slot.end, theme, exclude=consultation.id):
        raise SlotTaken(_l("この枠はたった今、ほかの方が予約されました。別の枠をお選びください。"))
    consultation.starts_at, consultation.ends_at = slot.start, slot.end
    consultation.branch_id = _unit_id(slot.branch) or consultation.branch_id
    consultation.consultation_day_id = slot.consultation_day_id
    consultation.sequence += 1
    consultation.updated_at = now
    db.session.flush()
    announce(consultation, "changed", now)
    return consultation


def cancel_consultation(consultation: Consultation, now: datetime, actor: User | None) -> None:
    """Cancel; the slot frees at once. A member's cancellation after the cut-off is flagged
    late (staff and advisors are exempt); nobody cancels a consultation that has started.

    :raises NotAllowed: already cancelled, or already started.
    """
    if not consultation.active:
        raise NotAllowed(_l("このご予約はすでにキャンセルされています。"), code="not_active")
    if not may_cancel(consultation, now, actor):
        raise NotAllowed(_l("開始時刻を過ぎたご予約はキャンセルできません。"), code="started")
    consultation.late_cancellation = past_cutoff_for(actor, consultation, now)
    consultation.status = "cancelled"
    consultation.cancelled_at = now
    consultation.cancelled_by_id = actor.id if actor else None
    consultation.sequence += 1
    consultation.updated_at = now
    db.session.flush()
    announce(consultation, "cancelled", now)


# ---- who may see what (the rules: policy.py)


def consultation_for(user: User, consultation_id: int) -> Consultation:
    """A consultation the user may manage. :raises NotFound: otherwise (never 403)."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or not may_manage(user, consultation):
        raise NotFound(_l("ご予約が見つかりません。"), code="not_found")
    return consultation


def upcoming_for_member(member: User, now: datetime) -> list[Consultation]:
    return list(
        db.session.scalars(
            select(Consultation)
            .where(
                Consultation.member_id == member.id,
                Consultation.status == "booked",
                Consultation.ends_at > now,
            )
            .order_by(Consultation.starts_at)
        )
    )


def consultations_of_member(member: User) -> list[Consultation]:
    return list(
        db.session.scalars(
            select(Consultation)
            .where(Consultation.member_id == member.id)
            .order_by(Consultation.starts_at.desc())
        )
    )


def consultation_still_holds(ref: int, version: int | None, now: datetime) -> bool:
    """A consultation mail still applies if nothing changed since it was planned."""
    consultation = db.session.get(Consultation, ref)
    if consultation is None:
        return False
    return version is None or consultation.sequence == version
