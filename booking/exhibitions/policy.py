"""The "may" and "can still" rules of trade fairs, in one place.

Services enforce them (raising the refusal), pages and the API ask them before offering an
action, templates ask them through the globals `init_app` registers, mails and feeds use them
for what they show. None of them reads or writes the database beyond the objects passed in.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from booking.errors import NotAllowed
from booking.exhibitions.models import Exhibition, Exhibitor, Meeting
from booking.org.policy import can_manage
from booking.timefmt import as_utc, now_utc

# ---- exhibitors: who acts for one


def acts_for(user, exhibitor: Exhibitor) -> bool:
    """Someone signed in with the exhibitor's company account."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.company_id is not None
        and user.company_id == exhibitor.company_id
    )


def booth_limit_reached(exhibitor: Exhibitor, held: int) -> bool:
    """The exhibitor already holds all the booths it may (`booth_limit`, set by staff)."""
    return held >= exhibitor.booth_limit


def exhibitor_limit_reached(exhibition: Exhibition, accepted: int) -> bool:
    """Accepting one more exhibitor would pass the exhibition's limit (None: no limit)."""
    limit = exhibition.exhibitor_limit
    return limit is not None and accepted >= limit


# ---- meetings (商談): who sees one, whether it can still be cancelled, the join link


def meeting_side(user, meeting: Meeting) -> str | None:
    """ "visitor", "exhibitor" (someone acting for it) or None: only the two sides see it."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.id == meeting.visitor_id:
        return "visitor"
    if acts_for(user, meeting.exhibitor):
        return "exhibitor"
    return None


def meeting_cancel_refusal(meeting: Meeting, now: datetime) -> NotAllowed | None:
    """Why the meeting can no longer be cancelled (by either side), or None when it can:
    until it starts, while it is booked."""
    if not meeting.active:
        return NotAllowed(_l("この商談はすでにキャンセルされています。"), code="not_active")
    if now >= as_utc(meeting.starts_at):
        return NotAllowed(_l("開始時刻を過ぎた商談はキャンセルできません。"), code="started")
    return None


def may_cancel_meeting(meeting: Meeting, now: datetime | None = None) -> bool:
    """Whether to offer the cancel button (`cancel_meeting` refuses by the same rule)."""
    return meeting_cancel_refusal(meeting, now or now_utc()) is None


def join_url(meeting: Meeting) -> str:
    """The exhibitor's online meeting room, for online meetings only: what the two sides'
    mails carry (each mail goes only to the visitor or the exhibitor's contact)."""
    return meeting.exhibitor.online_meeting_url if meeting.mode == "online" else ""


def shown_join_url(meeting: Meeting) -> str:
    """The join link on the meeting page and in calendar feeds: only while it is booked."""
    return join_url(meeting) if meeting.active else ""


# ---- staff: which exhibitions a staff member manages


def may_manage_exhibition(user, exhibition: Exhibition) -> bool:
    """Staff manage the exhibitions of the events they manage (HQ and admins: all)."""
    return can_manage(user, exhibition.event)
