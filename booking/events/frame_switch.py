"""Moving one's own registration from the venue to an online frame (hybrid events).

The online seat is taken by the same atomic conditional UPDATE as a registration
(`registrations.take_seat`), in the transaction that moves the registration, frees the
in-person seat and promotes that frame's waitlist; so neither frame is ever overbooked.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from booking.errors import Conflict, Full, Invalid, NotFound
from booking.events import notices
from booking.events.models import Frame, Registration
from booking.events.policy import SWITCHABLE_STATUSES
from booking.events.registrations import (
    check_can_register,
    check_company_limit,
    free_seat,
    promote_waitlist,
    take_seat,
)
from booking.extensions import db

_MAX_ID = 2**31 - 1


class OnlineFull(Full):
    code = "online_full"


def switch_to_online(reg: Registration, frame_id, now: datetime) -> list[Registration]:
    """Move an in-person (confirmed or waiting) registration to an online frame with seats.

    Frees the in-person seat and promotes that frame's waitlist, re-plans the reminders and
    plans the notice with a new calendar entry (now with the join URL). Returns the people
    promoted from the frame left.

    :raises Invalid: no frame given.
    :raises NotFound: not an online frame of this event.
    :raises Conflict: the registration cannot move (cancelled, already online, lottery…).
    :raises OnlineFull: no seat left in the online frame; nothing changed.
    :raises WindowClosed | NotAllowed | CompanyLimit: the frame's own rules said no.
    """
    if isinstance(frame_id, bool) or not isinstance(frame_id, int):
        raise Invalid(_l("参加枠を選んでください。"), field="frame")
    # Ids are 32-bit INTEGER columns: a larger number names no frame (and PostgreSQL would
    # refuse to compare with it).
    target = db.session.get(Frame, frame_id) if 0 < frame_id <= _MAX_ID else None
    if target is None or target.event_id != reg.event_id or target.mode != "online":
        raise NotFound(_l("参加枠が見つかりません。"))
    # Re-read under a row lock: a second, concurrent move of the same registration waits,
    # then sees where the first one left it (and no concurrent change is overwritten).
    db.session.refresh(reg, with_for_update=True)
    status, left = reg.status, reg.frame
    if status not in SWITCHABLE_STATUSES:
        raise Conflict(_l("このお申し込みは参加枠を変更できません。"), code="not_switchable")
    if left.mode != "in_person":
        raise Conflict(
            _l("既にオンライン参加でお申し込みいただいています。"), code="already_online"
        )
    check_can_register(target, reg.user, now)
    if target.lottery:
        raise Conflict(_l("抽選の参加枠には変更できません。"), code="lottery_frame")
    check_company_limit(target, reg.company_id, moving=True)
    if not take_seat(target.id):
        raise OnlineFull(
            _l(
                "オンライン参加枠に空きがないため、変更できませんでした。"
                "会場参加のお申し込みはそのままです。"
            )
        )
    was_confirmed = status == "confirmed"
    reg.frame_id, reg.frame = target.id, target
    reg.status = "confirmed"
    if not was_confirmed:
        reg.confirmed_at = now
    reg.sequence += 1
    reg.updated_at = now
    db.session.flush()
    notices.switched_online(reg, now)
    promoted: list[Registration] = []
    if was_confirmed:
        free_seat(left.id)
        promoted = promote_waitlist(left.id, now)
    db.session.expire(target, ["taken"])
    db.session.expire(left, ["taken"])
    return promoted
