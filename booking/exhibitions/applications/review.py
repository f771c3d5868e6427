"""Staff review of exhibitor applications: accept, waitlist or reject, with a notice.

No more accepted exhibitors than `Exhibition.exhibitor_limit`: decided with the exhibition
row locked, so two staff accepting at once cannot both take the last place. Every decision
bumps the application's `sequence`; a notice planned for an older one is dropped unsent.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from booking.accounts.models import User
from booking.errors import Conflict, Full, Invalid, NotFound
from booking.exhibitions.applications.services import (
    free_booths,
    lock_exhibition,
    lock_exhibitor,
    number,
)
from booking.exhibitions.models import (
    APPLICATION_STATUSES,
    Exhibition,
    Exhibitor,
    exhibitor_categories,
)
from booking.exhibitions.policy import exhibitor_limit_reached
from booking.extensions import db
from booking.notifications.services import plan_message

DECISIONS = {"accept": "accepted", "waitlist": "waitlisted", "reject": "rejected"}


def accepted_count(exhibition_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Exhibitor)
        .where(Exhibitor.exhibition_id == exhibition_id, Exhibitor.status == "accepted")
    )


def review_application(
    exhibitor: Exhibitor, decision: str, reviewer: User, note: str, now: datetime
) -> Exhibitor:
    """Staff accept, waitlist or reject, and a notice goes to the contact person.

    :raises Invalid: an unknown decision.
    :raises Conflict: the application was withdrawn, or already has that status.
    :raises Full: accepting would pass the exhibition's limit (`limit_reached`).
    """
    status = DECISIONS.get(decision)
    if status is None:
        raise Invalid(_("判定を選んでください。"), field="decision")
    exhibition = lock_exhibition(exhibitor.exhibition_id)
    # Locked in this order (exhibition, then exhibitor) so a booth assignment cannot slip in
    # between freeing the booths and leaving `accepted`.
    exhibitor = lock_exhibitor(exhibitor.id)
    if exhibitor.status == "withdrawn":
        raise Conflict(_("この申込は取り下げられています。"), code="withdrawn")
    if exhibitor.status == status:
        raise Conflict(_("この申込はすでにその状態です。"), code="unchanged")
    if status == "accepted" and exhibitor_limit_reached(exhibition, accepted_count(exhibition.id)):
        raise Full(
            _(
                "出展者数の上限（%(n)s社）に達しているため承認できません。",
                n=exhibition.exhibitor_limit,
            ),
            code="limit_reached",
        )
    if exhibitor.status == "accepted":
        free_booths(exhibitor)  # a booth is only ever held by an accepted exhibitor
    exhibitor.status = status
    exhibitor.review_note = (note or "").strip()[:2000]
    exhibitor.reviewed_at, exhibitor.reviewed_by_id = now, reviewer.id
    exhibitor.sequence += 1
    db.session.flush()
    plan_decision_notice(exhibitor, now)
    return exhibitor


def plan_decision_notice(exhibitor: Exhibitor, now: datetime) -> None:
    """The accepted / waitlisted / rejected notice to the contact person."""
    about = f"exhibitor:{exhibitor.id}"
    # The applicant's language, unless staff recorded the application for the company.
    applicant = exhibitor.applicant
    own = applicant is not None and applicant.company_id == exhibitor.company_id
    locale = (applicant.locale if own else None) or "ja"
    base = current_app.config["BASE_URL"]
    exhibition = exhibitor.exhibition
    plan_message(
        f"{about}:{exhibitor.status}:{exhibitor.sequence}",
        exhibitor.contact_email,
        "exhibitor_decision",
        {
            "name": exhibitor.contact_name,
            "company": exhibitor.company.name,
            "status": exhibitor.status,
            "number": number(exhibitor),
            "title": exhibition.event.title,
            "note": exhibitor.review_note,
            "application_url": f"{base}/exhibitions/{exhibition.id}/application",
        },
        locale=locale,
        due_at=now,
        about=about,
        about_version=exhibitor.sequence,
    )


def status_counts(exhibition_id: int) -> dict[str, int]:
    """{status: n} of one exhibition's applications, in one query."""
    rows = db.session.execute(
        select(Exhibitor.status, func.count())
        .where(Exhibitor.exhibition_id == exhibition_id)
        .group_by(Exhibitor.status)
    ).all()
    counts = dict.fromkeys(APPLICATION_STATUSES, 0)
    counts.update(dict(rows))
    return counts


def list_applications(
    exhibition_id: int, status: str = "", category_id: int | None = None
) -> list[Exhibitor]:
    """Applications for review, oldest first, filtered by status and category."""
    query = (
        select(Exhibitor)
        .where(Exhibitor.exhibition_id == exhibition_id)
        .options(selectinload(Exhibitor.company), selectinload(Exhibitor.categories),
                 selectinload(Exhibitor.booths))
        .order_by(Exhibitor.created_at, Exhibitor.id)
    )  # fmt: skip
    if status:
        query = query.where(Exhibitor.status == status)
    if category_id:
        query = query.where(
            Exhibitor.id.in_(
                select(exhibitor_categories.c.exhibitor_id).where(
                    exhibitor_categories.c.unit_id == category_id
                )
            )
        )
    return list(db.session.scalars(query))


def get_application(exhibition: Exhibition, exhibitor_id) -> Exhibitor:
    """One application of this exhibition (staff)."""
    exhibitor = db.session.get(Exhibitor, exhibitor_id) if isinstance(exhibitor_id, int) else None
    if exhibitor is None or exhibitor.exhibition_id != exhibition.id:
        raise NotFound()
    return exhibitor


def decision_still_holds(ref: int, version: int | None, now: datetime) -> bool:
    """A decision notice is sent only if nothing changed since it was planned."""
    sequence = db.session.scalar(select(Exhibitor.sequence).where(Exhibitor.id == ref))
    if sequence is None:
        return False
    return version is None or version == sequence
