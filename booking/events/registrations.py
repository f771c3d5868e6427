"""Registration rules: seats by an atomic conditional UPDATE, waitlist, cancellation.

Capacity is guarded by the database: a seat is taken only by
`UPDATE frames SET taken = taken + 1 WHERE id = ? AND taken < capacity`, in the transaction
that writes the registration, so no number of concurrent requests can overbook a frame.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, exists, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, make_transient_to_detached, with_expression

from booking.accounts.models import User
from booking.errors import AlreadyRegistered, Conflict, Full, Invalid, NotFound
from booking.events import notices
from booking.events.cancelling import cancel_deadline, cancel_refusal
from booking.events.company_limits import CompanyLimit as CompanyLimit  # re-exported
from booking.events.company_limits import check_company_limit, company_full, limited
from booking.events.eligibility import (  # noqa: F401 - re-exported: pages and services ask here
    WindowClosed,
    audience_allows,
    check_can_register,
    default_close,
    frame_state,
    registration_window,
    validate_answers,
    window_of,
)
from booking.events.models import Event, Frame, Registration
from booking.events.queue import AHEAD, waitlist_position  # noqa: F401 - pages and the API ask
from booking.events.survey_models import SurveyQuestion
from booking.events.waitlist_guard import hold_for_promoting, hold_for_waitlisting
from booking.extensions import db
from booking.notifications.models import ReminderRule
from booking.notifications.new_subjects import new_subject
from booking.org.policy import can_manage
from booking.timefmt import as_utc
from booking.unit_of_work import lost_race

_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ALREADY_REGISTERED = _l("このイベントには既にお申し込み済みです。")
FULL = _l("満席のためお申し込みいただけません。")


class CancelTooLate(Conflict):
    code = "cancel_deadline_passed"


def new_reference() -> str:
    """受付番号: 8 characters without look-alikes (0/O, 1/I), e.g. `K7QX-2M4P`."""
    raw = "".join(secrets.choice(_REF_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


# What registering reads of the event (frames, questions, and the sessions its mail names),
# loaded with the event in one statement by callers that load it first (the API).
# Whether the event has a survey and reminder rules of its own come in the same statement.
REGISTERING = (
    joinedload(Event.frames), joinedload(Event.questions), joinedload(Event.sessions),
    with_expression(Event.has_survey, exists().where(SurveyQuestion.event_id == Event.id)),
    with_expression(Event.has_reminder_rules, exists().where(ReminderRule.event_id == Event.id)),
)  # fmt: skip


# Built once; run as Core on the session's connection (every confirmed answer takes a seat).
_FRAMES = Frame.__table__
_TAKE = (
    update(_FRAMES)
    .where(_FRAMES.c.id == bindparam("frame_id"), _FRAMES.c.taken < _FRAMES.c.capacity)
    .values(taken=_FRAMES.c.taken + 1)
)


def take_seat(frame_id: int) -> bool:
    """The one place a seat is taken: atomic, never beyond capacity."""
    db.session.flush()  # as the ORM's autoflush would: a capacity changed before counts
    return db.session.connection().execute(_TAKE, {"frame_id": frame_id}).rowcount == 1


def free_seat(frame_id: int) -> None:
    db.session.execute(
        update(Frame)
        .where(Frame.id == frame_id, Frame.taken > 0)
        .values(taken=Frame.taken - 1)
        .execution_options(synchronize_session=False)
    )


def register_for_frame(
    user: User,
    event_id: int,
    frame_id,
    answers,
    now: datetime,
    attestation: bool = False,
    *,
    registered_by: User | None = None,
    accommodation: tuple[list[str], str] = ([], ""),
) -> Registration:
    """Register `user` in one frame: confirmed, waitlisted or (lottery) applied.

    `registered_by`: the company administrator who registers a colleague (proxy
    registration); the same rules hold and the colleague gets the mail and the pass.
    `accommodation` is what the person asks for (`booking.accommodation.requested`).

    :raises NotFound: no such visible event or frame.
    :raises AlreadyRegistered: the person has an active registration for the event.
    :raises NotAllowed: the frame's audience excludes the person.
    :raises WindowClosed | CompanyLimit | Full | Invalid: other rules said no.
    :raises RunAgain: a rare race was lost (`seek_seat`); the unit of work runs it again
        (`Busy` on its last run: `lost_race`).

    A refusal may come after the row was written (and on PostgreSQL a concurrent twin aborts
    the transaction): a caller that goes on after catching one calls this inside
    `db.session.begin_nested()` (as walk-ins do); otherwise the unit of work rolls back.
    """
    event = db.session.get(Event, event_id)
    if isinstance(frame_id, bool) or not isinstance(frame_id, int):
        raise Invalid(_l("参加枠を選んでください。"), field="frame")
    frame = db.session.get(Frame, frame_id)
    if event is None or frame is None or frame.event_id != event.id:
        raise NotFound(_l("参加枠が見つかりません。"))
    check_can_register(frame, user, now)
    clean = validate_answers(event, answers)
    if event.attestation and frame.mode == "in_person" and not attestation:
        raise Invalid(_l("会場参加には健康状態の確認への同意が必要です。"), field="attestation")
    company_id = user.company_id
    if limited(frame, company_id):
        # The person's own registration would count against the limit: "already registered"
        # is said first. Otherwise the INSERT's unique index says it (`_insert`), with no
        # read before it.
        refuse_second_registration(event.id, user.id)
    check_company_limit(frame, company_id)
    reg = Registration(
        reference=new_reference(), event_id=event.id, frame_id=frame.id, user_id=user.id,
        company_id=company_id, active_user_id=user.id, status="pending", answers=clean,
        attestation=bool(attestation), pass_token=secrets.token_urlsafe(16),
        accommodations=list(accommodation[0]), accommodation_note=accommodation[1],
        created_at=now, updated_at=now,
        registered_by_id=registered_by.id if registered_by is not None else None,
        queue_rank=0, sequence=0, late_cancel=False, checked_in_at=None, promoted_at=None,
        cancelled_at=None,
    )  # fmt: skip
    # Related objects are set, not lazy-loaded, so nothing is read while the seat is held.
    reg.user, reg.event, reg.frame = user, event, frame
    reg.registered_by = registered_by
    seek_seat(reg, frame, now)
    # Written by one INSERT (`_insert`): the session takes the row as it is, loaded.
    make_transient_to_detached(reg)
    db.session.add(reg)
    db.session.expire(frame, ["taken"])
    return reg


def refuse_second_registration(event_id: int, user_id: int) -> None:
    """:raises AlreadyRegistered: the person has an active registration for the event."""
    existing = db.session.scalar(
        select(Registration.id).where(
            Registration.event_id == event_id, Registration.active_user_id == user_id
        )
    )
    if existing:
        raise AlreadyRegistered(ALREADY_REGISTERED)


def seek_seat(reg: Registration, frame: Frame, now: datetime) -> None:
    """Write the new registration confirmed, waitlisted or (lottery) applied, with its mail.

    The seat's row lock is held as briefly as possible: the registration and its outbox rows
    are written first and the conditional UPDATE comes last, just before the commit. A frame
    that reads full is not locked at all: the person joins the waitlist under the waitlist
    guard (`waitlist_guard`), or, with no waitlist, is refused before anything is written, so
    they never queue behind the people taking the last seats. `frame.taken` must be the seats
    as this transaction read them (a caller that frees a seat with `free_seat` and then
    registers in the same transaction reads the frame again first).

    No savepoint: the rare turns (the last seat taken by someone else since the frame was
    read, a seat freed seen under the guard, a clash of random 受付番号) raise `RunAgain`, and
    the unit of work rolls everything back (the rows, the guard) and runs the request again,
    which reads the frame afresh. A refusal after the row was written (`Full`, a concurrent
    twin's `AlreadyRegistered`) leaves it in the transaction: the caller's unit of work rolls
    back on every refusal.

    :raises Full: no seat and no waitlist. :raises AlreadyRegistered: a concurrent twin.
    :raises RunAgain: a rare race was lost (see above; `Busy` on the last run).
    """
    if frame.lottery:
        _insert(reg, "applied", now)
        _plan_mail(reg, now, None)
    elif frame.taken < frame.capacity:  # the UPDATE decides
        _insert(reg, "confirmed", now)
        _plan_mail(reg, now, None)
        if not take_seat(frame.id):
            if not frame.waitlist:
                raise Full(FULL)
            raise lost_race()  # the last seat went meanwhile: the next run reads the frame full
    elif not frame.waitlist:
        # Full when this transaction read the seats, and no waitlist: refused as it was then,
        # with nothing written and no wait on the seat lock (the crowd after a sell-out). A
        # person already registered hears that first, as the INSERT would have said.
        refuse_second_registration(reg.event_id, reg.user_id)
        raise Full(FULL)
    else:
        _insert(reg, "waitlisted", now)
        position = _waiting_at(reg)
        if position is None:
            raise lost_race()  # a seat was freed meanwhile: the next run tries it
        _plan_mail(reg, now, position)


def _waiting_at(reg: Registration) -> int | None:
    """The waitlist position of `reg` (just written, waitlisted), or None if a seat is free.

    Read under the waitlist guard, taken after the insert: a concurrent twin's insert is never
    waited for while holding it, and the guard holder never waits on the frame's row either.
    Not in the INSERT's `RETURNING`: its foreign-key checks run after it, at the end of the
    statement, and would wait for the rows they lock (a company a frame switch holds while it
    waits for this very guard) with the guard held. Seats and position come from one statement
    (one snapshot, after the guard is held)."""
    hold_for_waitlisting(reg.frame_id)
    taken, capacity, ahead = (
        db.session.connection()
        .execute(_SEATS_AND_AHEAD, {"frame_id": reg.frame_id, "rank": reg.queue_rank, "id": reg.id})
        .one()
    )
    return ahead + 1 if taken >= capacity else None


# The frame's seats as they are now, and how many wait ahead of the person (`queue.AHEAD`).
# This and the INSERT below are Core statements run on the session's connection: no ORM
# execution around them.
_SEATS_AND_AHEAD = select(_FRAMES.c.taken, _FRAMES.c.capacity, AHEAD.scalar_subquery()).where(
    _FRAMES.c.id == bindparam("frame_id")
)
# The columns of a new registration, written by one INSERT … RETURNING id.
_COLUMNS = tuple(c.key for c in Registration.__table__.columns if c.key != "id")
_INSERT = insert(Registration.__table__).returning(Registration.__table__.c.id)


def _insert(reg: Registration, status: str, now: datetime) -> None:
    """Insert `reg` with `status`. :raises AlreadyRegistered: a concurrent registration of the
    same person. :raises RunAgain: a clash of random 受付番号 or pass token (the next run draws
    new ones).

    The row is written by a Core INSERT (no unit-of-work flush for one known row); `reg`
    stays out of the session until the caller keeps it (`register_for_frame`)."""
    reg.status, reg.confirmed_at = status, (now if status == "confirmed" else None)
    try:
        # Inserted before the seat is sought: a concurrent twin fails here, holding no seat.
        reg.id = (
            db.session.connection()
            .execute(_INSERT, {key: getattr(reg, key) for key in _COLUMNS})
            .scalar_one()
        )
    except IntegrityError as exc:
        if "reference" in str(exc.orig) or "pass_token" in str(exc.orig):
            raise lost_race() from None
        raise AlreadyRegistered(ALREADY_REGISTERED) from None


def _plan_mail(reg: Registration, now: datetime, position: int | None) -> None:
    """The new registration's mail and reminders (one INSERT); `position` on the waitlist."""
    with new_subject(notices.about(reg)), db.session.no_autoflush:
        notices.registered(reg, now, position)
    reg.position_when_written = position


def get_own_registration(reg_id, user: User) -> Registration:
    """The person's registration, or staff who manage its event. :raises NotFound:"""
    reg = db.session.get(Registration, reg_id) if isinstance(reg_id, int) else None
    if reg is None or not (reg.user_id == user.id or can_manage(user, reg.event)):
        raise NotFound(_l("お申し込みが見つかりません。"))
    return reg


def cancel_registration(
    reg: Registration, now: datetime, by_staff: bool = False, notify: bool = True
) -> list[Registration]:
    """Cancel (or leave the waitlist) and promote the waitlist in the same transaction.

    Returns the people promoted. :raises Conflict: already cancelled, or (members) the
    policy refuses it: past the deadline or the event is over.
    """
    locked = db.session.execute(
        select(Registration.status).where(Registration.id == reg.id).with_for_update()
    ).scalar_one()
    if locked == "cancelled":
        raise Conflict(_l("このお申し込みは既にキャンセルされています。"), code="already_cancelled")
    late = now >= cancel_deadline(reg.event)
    refusal = None if by_staff else cancel_refusal(reg, now)
    if refusal:
        raise CancelTooLate(refusal)
    was_confirmed = locked == "confirmed"
    reg.status, reg.cancelled_at, reg.active_user_id = "cancelled", now, None
    reg.late_cancel = late
    reg.sequence += 1
    reg.updated_at = now
    db.session.flush()
    if notify:
        notices.cancelled(reg, now)
    else:
        notices.unschedule(reg)
    promoted: list[Registration] = []
    if was_confirmed:
        free_seat(reg.frame_id)
        promoted = promote_waitlist(reg.frame_id, now)
    db.session.refresh(reg.frame)
    return promoted


def waiting_list(frame_id: int) -> list[Registration]:
    """The frame's waitlist in the one order everything follows (the automatic promotion, the
    positions people see, the staff page): `queue_rank`, then first come first served.

    Ranks are 0 unless set: by a lottery (draw order) or a staff move (`waitlist.py`, negative
    ranks so later arrivals still queue behind)."""
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.frame_id == frame_id, Registration.status == "waitlisted")
            .order_by(Registration.queue_rank, Registration.id)
        )
    )


def promote_waitlist(frame_id: int, now: datetime) -> list[Registration]:
    """Fill free seats from the waitlist, first come first served, within company limits."""
    hold_for_promoting(frame_id)  # the waitlist read below includes everyone who joined it
    frame = db.session.get(Frame, frame_id)
    if frame.lottery and frame.lottery_drawn_at is None:
        return []  # applications wait for the draw
    if frame.event.status == "cancelled" or as_utc(frame.event.ends_at) <= now:
        return []
    promoted: list[Registration] = []
    skipped: set[int] = set()
    while take_seat(frame_id):
        chosen = None
        for cand in waiting_list(frame_id):
            if cand.id in skipped:
                continue
            if cand.company_id and company_full(frame, cand.company_id):
                skipped.add(cand.id)
                continue
            # Conditional: a concurrent promoter may have taken this person already.
            won = db.session.execute(
                update(Registration)
                .where(Registration.id == cand.id, Registration.status == "waitlisted")
                .values(
                    status="confirmed",
                    confirmed_at=now,
                    promoted_at=now,
                    sequence=Registration.sequence + 1,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            if won.rowcount == 1:
                chosen = cand
                break
        if chosen is None:
            free_seat(frame_id)
            break
        db.session.refresh(chosen)
        notices.promoted(chosen, now)
        promoted.append(chosen)
    return promoted


def change_capacity(frame: Frame, capacity, now: datetime) -> list[Registration]:
    """Set a frame's capacity; an increase promotes the waitlist at once.

    :raises Invalid: below the confirmed count.
    """
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
        raise Invalid(_l("定員は0以上の整数で指定してください。"), field="capacity")
    result = db.session.execute(
        update(Frame)
        .where(Frame.id == frame.id, Frame.taken <= capacity)
        .values(capacity=capacity)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(frame)
        raise Invalid(
            _l("定員は確定済みの%(n)s名より少なくできません。", n=frame.taken), field="capacity"
        )
    promoted = promote_waitlist(frame.id, now)
    db.session.refresh(frame)
    return promoted
