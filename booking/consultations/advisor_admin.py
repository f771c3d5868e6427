"""Staff create and edit advisors; an advisor edits their own profile.

An advisor is a profile on an account: staff name the account by e-mail. An existing member
or guest account becomes an advisor's; otherwise a new account is made and its holder is
invited by mail to choose a password (the password-reset link).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from booking.accounts.models import User
from booking.accounts.services import (
    PersonDetails,
    apply_details,
    create_user,
    request_password_reset,
    user_by_email,
)
from booking.consultations.availability import refuse_orphaned_bookings
from booking.consultations.models import Advisor, Channel, Theme
from booking.errors import Conflict, Invalid
from booking.extensions import db
from booking.org.models import Unit

# Accounts that may become an advisor's: people outside the staff.
ADVISABLE_ROLES = ("member", "guest", "advisor")


@dataclass
class AdvisorProfile:
    """What an advisor may change about themselves."""

    title: str = ""
    bio: str = ""
    video_url: str = ""


@dataclass
class Assignment:
    """What staff decide: the themes, channels and branches an advisor covers."""

    themes: list[Theme]
    channels: list[Channel]
    branches: list[Unit]


# An advisor nobody can book is refused: what each empty choice means.
NEEDED = {
    "themes": _l("担当するテーマを1つ以上選んでください。"),
    "channels": _l("相談方法を1つ以上選んでください。"),
    "branches": _l("担当する支部を1つ以上選んでください。"),
}


def check_video_url(url: str) -> str:
    """:raises Invalid: not an http(s) address."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise Invalid(_l("https:// で始まるURLを入力してください。"), field="video_url")
    return url


def apply_profile(advisor: Advisor, profile: AdvisorProfile) -> None:
    """Title, introduction and video room. :raises Invalid: the room is not a web address."""
    advisor.video_url = check_video_url(profile.video_url)
    advisor.title = profile.title.strip()[:100]
    advisor.bio = profile.bio.strip()
    db.session.flush()


def apply_assignment(advisor: Advisor, assignment: Assignment) -> None:
    """:raises Invalid: no theme, channel or branch chosen (the advisor could not be booked)."""
    for name, message in NEEDED.items():
        if not getattr(assignment, name):
            raise Invalid(message, field=name)
    advisor.themes = list(assignment.themes)
    advisor.channels = list(assignment.channels)
    advisor.branches = list(assignment.branches)
    db.session.flush()


def create_advisor(
    email: str, details: PersonDetails, profile: AdvisorProfile, assignment: Assignment,
    now: datetime,
) -> Advisor:  # fmt: skip
    """An advisor on the account of `email` (made and invited by mail when there is none).

    :raises Conflict: the account is staff's, or already an advisor's.
    :raises Invalid: bad profile or assignment.
    """
    user = user_by_email(email)
    if user is None:
        user = create_user(email, None, "advisor", details, confirmed_at=now)
        user.unit_id = assignment.branches[0].id if assignment.branches else None
        invite = True
    else:
        if user.role not in ADVISABLE_ROLES:
            raise Conflict(_l("職員・管理者のアカウントは相談員にできません。"), field="email")
        if db.session.scalar(select(Advisor.id).where(Advisor.user_id == user.id)):
            raise Conflict(_l("このアカウントは既に相談員です。"), field="email")
        user.role = "advisor"
        _rename(user, details)
        invite = False
    advisor = Advisor(user=user, active=True)
    db.session.add(advisor)
    apply_profile(advisor, profile)
    apply_assignment(advisor, assignment)
    if invite:
        request_password_reset(user.email, now)
    return advisor


def update_advisor(
    advisor: Advisor, details: PersonDetails, profile: AdvisorProfile, assignment: Assignment
) -> None:
    """Staff change an advisor's name, profile and assignment. :raises Invalid:"""
    _rename(advisor.user, details)
    apply_profile(advisor, profile)
    apply_assignment(advisor, assignment)


def _rename(user: User, details: PersonDetails) -> None:
    """The name and furigana staff typed; the account's phone stays as its holder left it."""
    if details.family_name:
        details.phone = user.phone
        apply_details(user, details)


def set_advisor_active(advisor: Advisor, active: bool, now: datetime) -> None:
    """Deactivate (no new bookings) or reactivate.

    :raises Conflict: the advisor still has booked consultations ahead (named).
    """
    advisor.active = active
    db.session.flush()
    if not active:
        refuse_orphaned_bookings(advisor, now, lambda _day: True)


def advisors_of(user: User, sees_all: bool) -> list[Advisor]:
    """The advisors a staff member manages (all, or those of their unit), active first."""
    query = select(Advisor).join(User, User.id == Advisor.user_id)
    if not sees_all:
        from booking.consultations.models import advisor_branches

        unit = user.unit_id or -1
        query = query.where(
            Advisor.id.in_(
                select(advisor_branches.c.advisor_id).where(advisor_branches.c.unit_id == unit)
            )
            | (User.unit_id == unit)
        )
    return list(db.session.scalars(
        query.order_by(Advisor.active.desc(), User.family_kana, User.given_kana, Advisor.id)
    ))  # fmt: skip
