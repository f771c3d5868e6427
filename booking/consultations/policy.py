"""What a person may do with a consultation, and what they may see of it.

Pages, the API, calendar feeds, mails and templates (through the template globals that
`booking.consultations.init_app` registers) ask these functions and decide nothing
themselves; the services enforce the same functions when a booking is changed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from booking.accounts.models import User
from booking.consultations.models import Advisor, Consultation, SupportCase
from booking.org.models import Unit
from booking.org.policy import sees_all_units
from booking.timefmt import as_utc


def is_staff_actor(user: User | None) -> bool:
    """Staff (and advisors booking follow-ups) are exempt from notice and cut-offs."""
    return bool(user is not None and (user.is_staff or user.role == "advisor"))


def cutoff_passed(consultation: Consultation, now: datetime) -> bool:
    """The theme's change-and-cancel deadline (`cancel_cutoff_hours` before the start) is past."""
    hours = consultation.theme.cancel_cutoff_hours
    return now > as_utc(consultation.starts_at) - timedelta(hours=hours)


def may_cancel(consultation: Consultation, now: datetime, actor: User | None = None) -> bool:
    """Still booked and not started (staff and advisors: also once started).

    Without `actor`, the member's rule: the pages offer change and cancel by it.
    """
    if not consultation.active:
        return False
    return now < as_utc(consultation.starts_at) or is_staff_actor(actor)


def past_cutoff_for(actor: User | None, consultation: Consultation, now: datetime) -> bool:
    """A member past the cut-off: moving the booking is refused, and a cancellation is
    recorded as late. Staff and advisors are exempt."""
    return not is_staff_actor(actor) and cutoff_passed(consultation, now)


def may_use_desk(user: User, staff_only: bool = False) -> bool:
    """The desk pages: advisors and staff; booking for a member, consultation days and the
    overview: staff only."""
    return user.is_staff or (not staff_only and user.role == "advisor")


def may_manage(user: User, consultation: Consultation) -> bool:
    """Its member, its advisor, staff: they see the booking, change and cancel it."""
    return (
        user.id == consultation.member_id
        or user.id == consultation.advisor.user_id
        or user.is_staff
    )


def may_book_follow_up(user: User, consultation: Consultation) -> bool:
    """Its advisor and staff book the next session from it."""
    return user.is_staff or consultation.advisor.user_id == user.id


def may_see_record(user: User, consultation: Consultation) -> bool:
    """The 相談記録 and notes: the advisor, admins, and staff of the consultation's branch
    (HQ when it has none); never members."""
    if user.id == consultation.advisor.user_id or user.is_admin:
        return True
    return _is_branch_staff(user, consultation.branch_id)


def may_see_case(user: User, case: SupportCase) -> bool:
    """A support case (伴走支援) and its notes: the advisors of its consultations, admins, and
    staff of the case's branch (HQ when it has none); never members."""
    if user.is_admin or any(c.advisor.user_id == user.id for c in case.consultations):
        return True
    return _is_branch_staff(user, case.branch_id)


def _is_branch_staff(user: User, branch_id: int | None) -> bool:
    """Staff of that branch; HQ staff when there is no branch (a consultation held online)."""
    if not user.is_staff:
        return False
    if branch_id is None:
        return sees_all_units(user)
    return user.unit_id == branch_id


def video_room(consultation: Consultation) -> str | None:
    """The advisor's video room of an online session; None for counter and phone sessions."""
    if consultation.channel.slug != "online":
        return None
    return consultation.advisor.video_url or None


def join_url(consultation: Consultation) -> str | None:
    """The join URL people are shown (pages, API, feeds): the room of a booking still on.

    Its member and advisor only: every caller shows it on a page, feed or answer of one of them.
    """
    return video_room(consultation) if consultation.active else None


# ---- the back office: who runs the catalogue, the branches' offers and the advisors


def may_edit_catalogue(user: User) -> bool:
    """Themes and channels are the chamber's, shared by every branch: HQ staff and admins."""
    return sees_all_units(user)


def may_manage_branch(user: User, unit: Unit) -> bool:
    """Which themes and channels a branch offers, and its advisors: that branch's staff,
    HQ staff and admins."""
    if not user.is_staff or unit.kind != "branch":
        return False
    return sees_all_units(user) or user.unit_id == unit.id


def advisor_unit_ids(advisor: Advisor) -> set[int]:
    """The units an advisor belongs to: the branches they serve and their account's unit."""
    ids = {unit.id for unit in advisor.branches}
    if advisor.user.unit_id is not None:
        ids.add(advisor.user.unit_id)
    return ids


def may_manage_advisor(user: User, advisor: Advisor) -> bool:
    """Staff of one of the advisor's branches, HQ staff and admins: the whole profile."""
    if not user.is_staff:
        return False
    return sees_all_units(user) or (
        user.unit_id is not None and user.unit_id in advisor_unit_ids(advisor)
    )


def may_edit_advisor(user: User, advisor: Advisor) -> bool:
    """The profile and hours: the advisor themselves, or staff who manage them."""
    return user.id == advisor.user_id or may_manage_advisor(user, advisor)
