"""Merging a guest account into a member one (the same person, who signed up as a guest
before their company's membership account was made).

Everything the guest booked moves to the member account — event registrations, consultations,
商談 meetings, bookmarks and shared contacts, the private calendar feed — and the guest
account is deactivated. The rule that decides whether a merge may happen is
`merge_conflicts`; `merge_guest_into_member` enforces it under a lock of both accounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from booking.accounts.changes import record_change
from booking.accounts.models import AccountToken, ApiToken, User
from booking.accounts.policy import may_merge
from booking.calendars.models import FeedToken
from booking.consultations.models import Consultation
from booking.errors import Conflict, Invalid, NotAllowed
from booking.events.models import ACTIVE_STATUSES, Event, Registration
from booking.exhibitions.models import Bookmark, Lead, Meeting
from booking.extensions import db


@dataclass
class MergeConflict:
    """One pair of bookings that cannot both belong to one person."""

    kind: str  # "registration", "consultation" or "meeting"
    guest_item: object
    member_item: object


@dataclass
class MergePlan:
    """What a merge would move, and what stops it."""

    registrations: int = 0
    consultations: int = 0
    meetings: int = 0
    conflicts: list[MergeConflict] = field(default_factory=list)


def _overlapping(rows_a, rows_b) -> list[tuple]:
    return [
        (a, b) for a in rows_a for b in rows_b
        if a.starts_at < b.ends_at and b.starts_at < a.ends_at
    ]  # fmt: skip


def merge_conflicts(guest: User, member: User) -> list[MergeConflict]:
    """THE merge rule: the two accounts may not be merged while both hold an active
    registration for the same event (whatever the frame: one person, one registration per
    event), or both hold booked consultations, or booked 商談 meetings, that overlap in time.
    """
    conflicts: list[MergeConflict] = []
    regs = {
        uid: {r.event_id: r for r in db.session.scalars(
            select(Registration).join(Event)
            .where(Registration.user_id == uid, Registration.status.in_(ACTIVE_STATUSES))
        )}
        for uid in (guest.id, member.id)
    }  # fmt: skip
    for event_id, reg in regs[guest.id].items():
        if event_id in regs[member.id]:
            conflicts.append(MergeConflict("registration", reg, regs[member.id][event_id]))

    def booked(model, owner_column, uid):
        return list(
            db.session.scalars(select(model).where(owner_column == uid, model.status == "booked"))
        )

    for kind, model, owner in (
        ("consultation", Consultation, Consultation.member_id),
        ("meeting", Meeting, Meeting.visitor_id),
    ):
        pairs = _overlapping(booked(model, owner, guest.id), booked(model, owner, member.id))
        conflicts += [MergeConflict(kind, a, b) for a, b in pairs]
    return conflicts


def check_merge(guest: User, member: User) -> None:
    """Which accounts may be merged at all (before looking at their bookings).

    :raises Invalid: not a guest into a member, the same account, or a deactivated one.
    """
    if guest.id == member.id:
        raise Invalid(_l("同じアカウント同士は統合できません。"), field="into")
    if guest.role != "guest":
        raise Invalid(_l("統合できるのはゲストアカウントだけです。"), field="into")
    if member.role != "member":
        raise Invalid(_l("統合先は会員アカウントを選んでください。"), field="into")
    if not guest.active or not member.active:
        raise Invalid(_l("停止中のアカウントは統合できません。"), field="into")


def merge_plan(guest: User, member: User) -> MergePlan:
    """What would move, and the conflicts (for the confirmation page)."""

    def count(column, uid):
        return db.session.scalar(select(db.func.count()).where(column == uid)) or 0

    return MergePlan(
        registrations=count(Registration.user_id, guest.id),
        consultations=count(Consultation.member_id, guest.id),
        meetings=count(Meeting.visitor_id, guest.id),
        conflicts=merge_conflicts(guest, member),
    )


def _lock(*users: User) -> None:
    """Lock both accounts, lower id first (two merges never wait on each other in a circle),
    and read them again: a merge that waited sees the other's result."""
    ids = sorted(u.id for u in users)
    db.session.execute(select(User.id).where(User.id.in_(ids)).order_by(User.id).with_for_update())
    for user in users:
        db.session.refresh(user)


def merge_guest_into_member(guest: User, member: User, actor: User, now: datetime) -> None:
    """Move everything of `guest` to `member` and deactivate the guest, in one unit of work.

    Bookings keep their company (a guest's have none), so per-company limits already counted
    stay as they were. The guest's API tokens are revoked, not moved (a guest's token must
    not gain a member's rights); its private feed moves when the member has none (the old
    URL keeps working and now shows the member's bookings), else it is deleted.

    :raises NotAllowed: the actor may not merge (see `policy.may_merge`).
    :raises Invalid: see `check_merge`.
    :raises Conflict: see `merge_conflicts`.
    """
    if not may_merge(actor):
        raise NotAllowed(_l("アカウントを統合できるのは本部の職員と管理者だけです。"))
    _lock(guest, member)
    check_merge(guest, member)
    if merge_conflicts(guest, member):
        raise Conflict(
            _l("両方のアカウントに同じイベントの申込、または時間の重なる予約があるため統合できません。"
               "どちらかをキャンセルしてから統合してください。"),
            code="merge_conflict",
        )  # fmt: skip
    try:
        with db.session.begin_nested():  # a booking made meanwhile may break a unique rule
            _move(guest, member, now)
    except IntegrityError as exc:
        raise Conflict(
            _l("統合の途中で予約が変わりました。もう一度お試しください。"), code="merge_conflict"
        ) from exc
    guest.active = False
    guest.session_version += 1
    record_change(guest, actor, "merged_into", guest.email, member.email, now)
    record_change(member, actor, "merged_from", guest.email, member.email, now)


def _move(guest: User, member: User, now: datetime) -> None:
    def move(model, column, **extra):
        db.session.execute(
            update(model).where(column == guest.id).values({column.key: member.id, **extra})
            .execution_options(synchronize_session=False)
        )  # fmt: skip

    db.session.execute(
        update(Registration)
        .where(Registration.user_id == guest.id, Registration.active_user_id == guest.id)
        .values(active_user_id=member.id)
        .execution_options(synchronize_session=False)
    )
    move(Registration, Registration.user_id)
    move(Consultation, Consultation.member_id)
    move(Meeting, Meeting.visitor_id)
    # One lead and one bookmark per exhibitor and person: the member's own ones win.
    member_leads = select(Lead.exhibitor_id).where(Lead.visitor_id == member.id)
    db.session.execute(
        delete(Lead).where(Lead.visitor_id == guest.id, Lead.exhibitor_id.in_(member_leads))
    )
    move(Lead, Lead.visitor_id)
    marked = select(Bookmark.exhibitor_id).where(Bookmark.user_id == member.id)
    db.session.execute(
        delete(Bookmark).where(Bookmark.user_id == guest.id, Bookmark.exhibitor_id.in_(marked))
    )
    move(Bookmark, Bookmark.user_id)
    purposes = select(FeedToken.purpose).where(FeedToken.user_id == member.id)
    db.session.execute(
        delete(FeedToken).where(FeedToken.user_id == guest.id, FeedToken.purpose.in_(purposes))
    )
    move(FeedToken, FeedToken.user_id)
    db.session.execute(
        update(ApiToken).where(ApiToken.user_id == guest.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now).execution_options(synchronize_session=False)
    )  # fmt: skip
    db.session.execute(
        update(AccountToken).where(AccountToken.user_id == guest.id, AccountToken.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False)
    )  # fmt: skip
    db.session.expire_all()
