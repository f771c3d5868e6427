"""The staff audit log (操作履歴): every staff action that changes someone's booking, with who,
when, what, why and the values before and after. Read per event and per person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from booking.accounts.models import User
from booking.events.models import (
    ACTIVE_STATUSES,
    AUDIT_ACTIONS,
    Event,
    Registration,
    StaffAction,
)
from booking.extensions import db
from booking.timefmt import as_utc, format_when

LIMIT = 500


def record(
    event: Event,
    action: str,
    *,
    by: User | None,
    now: datetime,
    registration: Registration | None = None,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> StaffAction:
    """Write one entry of the audit log in the caller's transaction (it commits or not with
    the change it records)."""
    if action not in AUDIT_ACTIONS:  # a programming error, never user input
        raise ValueError(f"unknown audit action {action!r}")
    entry = StaffAction(
        event_id=event.id, action=action, actor_id=by.id if by is not None else None,
        registration_id=registration.id if registration is not None else None,
        subject_id=registration.user_id if registration is not None else None,
        reason=(reason or "").strip()[:500], before=before or {}, after=after or {}, at=now,
    )  # fmt: skip
    db.session.add(entry)
    db.session.flush()
    return entry


def _query():
    return select(StaffAction).options(
        selectinload(StaffAction.actor),
        selectinload(StaffAction.subject).selectinload(User.company),
        selectinload(StaffAction.registration),
        selectinload(StaffAction.event),
    )


def audit_for_event(event_id: int) -> list[StaffAction]:
    """The event's audit log, newest first."""
    return list(
        db.session.scalars(
            _query()
            .where(StaffAction.event_id == event_id)
            .order_by(StaffAction.at.desc(), StaffAction.id.desc())
            .limit(LIMIT)
        )
    )


def audit_for_user(user_id: int) -> list[StaffAction]:
    """What staff did to one person's bookings (every event), newest first; for a person page
    (`templates/staff/events/_audit_list.html`)."""
    return list(
        db.session.scalars(
            _query()
            .where(StaffAction.subject_id == user_id)
            .order_by(StaffAction.at.desc(), StaffAction.id.desc())
            .limit(LIMIT)
        )
    )


def lottery_entry(frame_id: int) -> StaffAction | None:
    """The audit entry of a frame's draw (its seed, weighting and the applicants' tiers)."""
    return db.session.scalar(
        select(StaffAction)
        .where(StaffAction.action == "lottery")
        .where(StaffAction.after["frame"].as_integer() == frame_id)
        .order_by(StaffAction.id.desc())
        .limit(1)
    )


# --- Reading an entry in the staff member's language ------------------------------------


def action_label(action: str) -> str:
    return {
        "capacity": _("定員の変更"), "promote": _("手動の繰り上げ"),
        "move": _("キャンセル待ちの順番変更"), "check_in": _("受付（チェックイン）"),
        "undo_check_in": _("受付の取り消し"), "cancel": _("職員によるキャンセル"),
        "lottery": _("抽選の実施"), "deadline": _("抽選の申込締切の変更"),
        "event_cancel": _("イベントの中止"), "event_online": _("オンライン開催への切り替え"),
        "event_change": _("日時・会場の変更"), "sessions": _("開催回の変更"),
    }.get(action, action)  # fmt: skip


@dataclass
class Change:
    label: str
    before: str
    after: str


def _field_label(key: str) -> str:
    return {
        "capacity": _("定員"), "position": _("キャンセル待ちの順番"), "status": _("状態"),
        "checked_in_at": _("受付日時"), "closes_at": _("申込締切"), "seed": _("シード"),
        "weighting": _("重み付け"), "won": _("当選"), "waitlisted": _("キャンセル待ち"),
        "promoted": _("繰り上げ"), "frame_name": _("参加枠"), "applicants": _("申込者数"),
        "when": _("日時"), "venue": _("会場"), "affected": _("お知らせした人数"),
    }.get(key, key)  # fmt: skip


def weighting_label(weighting: str) -> str:
    if weighting == "weighted":
        return _("初参加の会社を優先し、過去に無断欠席のある会社を後にする")
    return _("なし（全員同じ確率）")


def _value(key: str, value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if key == "status":
        return {"confirmed": _("参加確定"), "waitlisted": _("キャンセル待ち"),
                "applied": _("抽選申込中"), "cancelled": _("キャンセル済み")}.get(value, value)  # fmt: skip
    if key in ("checked_in_at", "closes_at") and isinstance(value, str):
        try:
            return format_when(as_utc(datetime.fromisoformat(value)))
        except ValueError:
            return value
    if key == "weighting":
        return weighting_label(value)
    if key == "position":
        return _("%(n)s番目", n=value)
    if key in ("capacity", "won", "waitlisted", "applicants"):
        return _("%(n)s名", n=value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


SHOWN = ("frame_name", "capacity", "position", "status", "checked_in_at", "closes_at",
         "weighting", "seed", "applicants", "won", "waitlisted", "promoted", "when", "venue",
         "affected")  # fmt: skip


def record_event_change(event: Event, action: str, *, by, now: datetime, before=None, after=None):
    """A change of the whole event that reaches every booking (cancelled, moved online, a new
    time or place, its sessions): recorded with how many people were told."""
    affected = db.session.scalar(
        select(func.count()).where(
            Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES)
        )
    )
    if action == "event_cancel":
        affected = (after or {}).pop("affected", affected)
    return record(event, action, by=by, now=now, before=before,
                  after={**(after or {}), "affected": affected})  # fmt: skip


def when_of(event: Event) -> str:
    return format_when(event.starts_at, event.ends_at)


def changes(entry: StaffAction) -> list[Change]:
    """What the entry changed, as lines "label: before → after" (unchanged keys once)."""
    before, after = entry.before or {}, entry.after or {}
    lines = []
    for key in SHOWN:
        if key not in before and key not in after:
            continue
        lines.append(Change(_field_label(key), _value(key, before.get(key)) if key in before
                            else "", _value(key, after.get(key)) if key in after else ""))  # fmt: skip
    return lines
