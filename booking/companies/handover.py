"""Handing a seat to a colleague: same frame, no trip through the waitlist.

The one rule (`hand_over_seat`): the holder's registration is locked (`SELECT … FOR
UPDATE`, as cancelling does), so a concurrent cancellation, a second hand-over or a staff
move waits and then sees it gone. In one transaction it is cancelled and the colleague's
confirmed registration is inserted in the same frame; the frame's `taken` count does not
change, so nobody on the waitlist can take the seat in between and capacity cannot be
exceeded. The company's counts do not change either (the colleague is of the same company).
The colleague's unique "one active registration per event" row makes a simultaneous own
registration of theirs fail one way or the other. The old holder gets a mail with the
calendar cancellation; the colleague the confirmation, the pass and the calendar invitation.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from booking.accounts.models import User
from booking.accounts.names import addressed_name
from booking.companies.policy import is_colleague, may_hand_over, seat_refusal
from booking.errors import AlreadyRegistered, Conflict, Invalid, NotAllowed, NotFound
from booking.events import notices
from booking.events.catalogue import can_see_member_only
from booking.events.models import Registration
from booking.events.registrations import audience_allows, new_reference
from booking.extensions import db


def hand_over_seat(
    reg: Registration, to_user: User, actor: User, now: datetime, attestation: bool = False
) -> Registration:
    """Give the confirmed seat of `reg` to `to_user`, a colleague of the same company.

    Returns the colleague's new registration.
    :raises NotFound: the actor may not act on this registration.
    :raises Invalid: not a colleague of the company; the holder themself.
    :raises Conflict: not a confirmed seat (any more), checked in, event over or cancelled.
    :raises NotAllowed: the frame is not for the colleague (members-only, guests-only).
    :raises AlreadyRegistered: the colleague already has a registration for the event.
    """
    if not may_hand_over(actor, reg):
        raise NotFound(_l("お申し込みが見つかりません。"))
    holder = reg.user
    same_company = to_user is not None and to_user.company_id == reg.company_id
    if not (same_company and is_colleague(holder, to_user)) or to_user.id == holder.id:
        raise Invalid(_l("お席は同じ会社の方にだけお譲りいただけます。"), field="colleague")
    # Locked from here: a concurrent cancellation or hand-over of this seat waits for us.
    db.session.refresh(reg, with_for_update=True)
    event, frame = reg.event, reg.frame
    refusal = seat_refusal(reg, now)
    if refusal is not None:
        code, message = refusal
        raise Conflict(message, code=code)
    if (event.member_only and not can_see_member_only(to_user)) or not audience_allows(
        frame, to_user
    ):
        raise NotAllowed(_l("この参加枠には、お譲り先の方はお申し込みいただけません。"))
    if event.attestation and frame.mode == "in_person" and not attestation:
        raise Invalid(_l("会場参加には健康状態の確認への同意が必要です。"), field="attestation")
    if db.session.scalar(
        select(Registration.id).where(
            Registration.event_id == event.id, Registration.active_user_id == to_user.id
        )
    ):
        raise AlreadyRegistered(_l("お譲り先の方は、このイベントに既にお申し込み済みです。"))
    reg.status, reg.cancelled_at, reg.active_user_id = "cancelled", now, None
    reg.sequence += 1
    reg.updated_at = now
    db.session.flush()
    new = Registration(
        reference=new_reference(), event_id=event.id, frame_id=frame.id, user_id=to_user.id,
        company_id=reg.company_id, active_user_id=to_user.id, status="confirmed",
        answers=dict(reg.answers or {}), attestation=bool(attestation or reg.attestation),
        pass_token=secrets.token_urlsafe(16), confirmed_at=now, created_at=now, updated_at=now,
        registered_by_id=actor.id,
    )  # fmt: skip
    new.user, new.event, new.frame, new.registered_by = to_user, event, frame, actor
    try:
        with db.session.begin_nested():
            db.session.add(new)
            db.session.flush()
    except IntegrityError:
        # The colleague registered themself at this very moment.
        raise AlreadyRegistered(
            _l("お譲り先の方は、このイベントに既にお申し込み済みです。")
        ) from None
    holder_locale = holder.locale or "ja"
    notices.cancelled(reg, now, kind="handed_over",
                      handed_to=addressed_name(to_user, holder_locale))  # fmt: skip
    notices.registered(new, now, None)  # confirmed: nobody waits
    return new
