"""Staff work on a frame's waitlist (キャンセル待ち): the list in order, a move to another
position with a kept reason, and the promotion of a named person into a free seat.

The order itself is one rule, `registrations.waiting_list` (queue_rank, then id): the automatic
promotion takes people in that order. A manual move renumbers the whole list with negative
ranks (-n … -1) in its new order, so the promotion follows it afterwards, and anyone who joins
the waitlist later (rank 0) still queues behind everyone already there, first come first served.

Both actions lock the frame's row first (`SELECT … FOR UPDATE`), the row every seat change
updates, so a move, a manual promotion, a cancellation's promotion and a capacity change of the
same frame happen one after another on PostgreSQL (SQLite serialises writers anyway).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from booking.accounts.models import User
from booking.errors import Conflict, Invalid
from booking.events import audit, notices
from booking.events.company_limits import company_full
from booking.events.models import Frame, Registration
from booking.events.registrations import (
    free_seat,
    take_seat,
    waiting_list,
)
from booking.extensions import db
from booking.timefmt import as_utc

REASON_MAX = 500


def _lock_frame(frame_id: int) -> Frame:
    db.session.execute(select(Frame.id).where(Frame.id == frame_id).with_for_update())
    frame = db.session.get(Frame, frame_id)
    db.session.refresh(frame)
    return frame


def _clean_reason(reason, required: bool) -> str:
    text = (reason or "").strip() if isinstance(reason, str) else ""
    if required and not text:
        raise Invalid(_l("理由を入力してください（記録に残ります）。"), field="reason")
    if len(text) > REASON_MAX:
        raise Invalid(_l("理由は500文字以内で入力してください。"), field="reason")
    return text


def _waiting_position(frame_id: int, reg: Registration) -> tuple[list[Registration], int]:
    order = waiting_list(frame_id)
    ids = [r.id for r in order]
    if reg.status != "waitlisted" or reg.id not in ids:
        raise Conflict(
            _l("この方はキャンセル待ちではありません（繰り上げやキャンセルの後かもしれません）。"),
            code="not_waitlisted",
        )
    return order, ids.index(reg.id) + 1


def move_in_waitlist(
    reg: Registration, position, *, by: User, now: datetime, reason
) -> tuple[int, int]:
    """Move a waiting person to `position` (1-based) of their frame's waitlist, with a reason
    that the audit log keeps. Returns (before, after) positions.

    :raises Invalid: no reason, or a position outside the list.
    :raises Conflict: the person is no longer waiting.
    """
    text = _clean_reason(reason, required=True)
    _lock_frame(reg.frame_id)
    db.session.refresh(reg)
    order, before = _waiting_position(reg.frame_id, reg)
    if (
        isinstance(position, bool)
        or not isinstance(position, int)
        or not (1 <= position <= len(order))
    ):
        raise Invalid(
            _l("順番は1から%(n)sまでの数で指定してください。", n=len(order)), field="position"
        )
    if position == before:
        raise Invalid(_l("今と同じ順番です。"), field="position")
    order.remove(reg)
    order.insert(position - 1, reg)
    n = len(order)
    for i, person in enumerate(order):
        db.session.execute(
            update(Registration)
            .where(Registration.id == person.id)
            .values(queue_rank=i - n)
            .execution_options(synchronize_session=False)
        )
    db.session.expire(reg, ["queue_rank"])
    audit.record(
        reg.event, "move", by=by, now=now, registration=reg, reason=text,
        before={"frame_name": reg.frame.name, "position": before},
        after={"frame_name": reg.frame.name, "position": position},
    )  # fmt: skip
    return before, position


def promotion_refusal(frame: Frame, now: datetime) -> str | None:
    """Why staff cannot promote anyone of this frame by hand now, or None.

    A manual promotion needs a free seat: it never takes a frame over its capacity. (To let a
    named person in when the frame is full, move them to the top and raise the capacity: the
    automatic promotion then takes them first.)
    """
    event = frame.event
    if event.status == "cancelled":
        return _l("このイベントは中止になりました。")
    if as_utc(event.ends_at) <= now:
        return _l("終了したイベントです。")
    if frame.lottery and frame.lottery_drawn_at is None:
        return _l("抽選の前は繰り上げできません。")
    if frame.remaining <= 0:
        return _l(
            "空席がないため繰り上げできません。定員を増やすと、キャンセル待ちの先頭の方から"
            "自動で繰り上がります（先に順番を変えることもできます）。"
        )
    return None


def promote_named(reg: Registration, *, by: User, now: datetime, reason="") -> Registration:
    """Confirm a named waiting person into a free seat of their frame, whatever their position,
    recorded with the reason given. Beyond the frame's per-company limit (which the automatic
    promotion keeps) only with a reason: that is when a seat stays free with people waiting.

    :raises Conflict: no free seat, or the person is no longer waiting.
    :raises Invalid: over the company's limit without a reason.
    """
    text = _clean_reason(reason, required=False)
    frame = _lock_frame(reg.frame_id)
    db.session.refresh(reg)
    _, before = _waiting_position(frame.id, reg)
    refusal = promotion_refusal(frame, now)
    if refusal:
        raise Conflict(refusal, code="no_free_seat")
    over_limit = bool(reg.company_id and company_full(frame, reg.company_id))
    if over_limit and not text:
        # The automatic promotion skips this person; staff may make the exception, stating why.
        limit = frame.per_company_limit or frame.event.per_company_limit
        raise Invalid(
            _l("この会社は1社あたりの上限（%(n)s名）まで参加確定しています。上限を超えて繰り上げる理由を入力してください。",
               n=limit),
            field="reason",
        )  # fmt: skip
    if not take_seat(frame.id):
        raise Conflict(_l("空席がなくなりました。"), code="no_free_seat")
    won = db.session.execute(
        update(Registration)
        .where(Registration.id == reg.id, Registration.status == "waitlisted")
        .values(status="confirmed", confirmed_at=now, promoted_at=now,
                sequence=Registration.sequence + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    if won.rowcount != 1:
        free_seat(frame.id)
        raise Conflict(_l("この方は既に繰り上がっています。"), code="not_waitlisted")
    db.session.refresh(reg)
    db.session.expire(frame, ["taken"])
    notices.promoted(reg, now)
    audit.record(
        reg.event, "promote", by=by, now=now, registration=reg, reason=text,
        before={"frame_name": frame.name, "status": "waitlisted", "position": before},
        after={"frame_name": frame.name, "status": "confirmed", "over_company_limit": over_limit},
    )  # fmt: skip
    return reg
