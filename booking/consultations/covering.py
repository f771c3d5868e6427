"""Which advisors a free-slot question considers: the active advisors covering a theme, at a
branch and by a channel when asked, or one of them; with the versions their slots are kept by
(`slot_versions`), read in the one statement every `free_slots` call makes."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import selectinload

from booking.consultations.models import (
    Advisor,
    Channel,
    ConsultationDay,
    Theme,
    WeeklyAvailability,
    advisor_branches,
    advisor_channels,
    advisor_themes,
    consultation_day_advisors,
)
from booking.consultations.slot_versions import CATALOGUE_VERSION
from booking.extensions import db


@lru_cache(maxsize=16)
def _covering(by_advisor: bool, by_channel: bool, by_branch: bool) -> list:
    """WHERE conditions for the active advisors covering a theme (at a branch, by a channel),
    with bound parameters (`covering_params`): built once per combination of filters."""
    conds = [
        Advisor.active.is_(True),
        Advisor.id.in_(
            select(advisor_themes.c.advisor_id).where(
                advisor_themes.c.theme_id == bindparam("theme_id")
            )
        ),
    ]
    if by_advisor:
        conds.append(Advisor.id == bindparam("advisor_id"))
    if by_channel:
        conds.append(
            Advisor.id.in_(
                select(advisor_channels.c.advisor_id)
                .join(Channel, Channel.id == advisor_channels.c.channel_id)
                .where(Channel.slug == bindparam("channel_slug"))
            )
        )
    if by_branch:
        # Advisors of that branch, and anyone staffing a consultation day or hours there.
        branch = bindparam("branch_id")
        conds.append(
            or_(
                Advisor.id.in_(
                    select(advisor_branches.c.advisor_id).where(
                        advisor_branches.c.unit_id == branch
                    )
                ),
                Advisor.id.in_(
                    select(consultation_day_advisors.c.advisor_id)
                    .join(ConsultationDay)
                    .where(ConsultationDay.branch_id == branch)
                ),
                Advisor.id.in_(
                    select(WeeklyAvailability.advisor_id).where(
                        WeeklyAvailability.branch_id == branch
                    )
                ),
            )
        )
    return conds


def covering_params(theme: Theme, advisor_id, branch_id, channel_slug) -> tuple[list, dict]:
    conds = _covering(advisor_id is not None, bool(channel_slug), branch_id is not None)
    params = {"theme_id": theme.id, "advisor_id": advisor_id, "channel_slug": channel_slug,
              "branch_id": branch_id}  # fmt: skip
    return conds, {k: v for k, v in params.items() if v is not None and v != ""}


@lru_cache(maxsize=16)
def versions_statement(by_advisor: bool, by_channel: bool, by_branch: bool):
    """The advisors covering a theme, with the versions of what their slots depend on."""
    return (
        select(Advisor.id, Advisor.slots_version, CATALOGUE_VERSION)
        .where(*_covering(by_advisor, by_channel, by_branch))
        .order_by(Advisor.id)
    )


def advisors_covering(
    theme: Theme, advisor_id: int | None, branch_id: int | None, channel_slug: str | None
) -> list[Advisor]:
    """The advisors (as objects, for pages) that `free_slots` would consider."""
    conds, params = covering_params(theme, advisor_id, branch_id, channel_slug)
    return list(
        db.session.scalars(
            select(Advisor)
            .where(*conds)
            .options(selectinload(Advisor.branches), selectinload(Advisor.channels),
                     selectinload(Advisor.user))
            .order_by(Advisor.id),
            params,
        )
    )  # fmt: skip
