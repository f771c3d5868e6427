"""Which branches offer which consultation themes and channels.

Every branch offers every active theme and channel unless its staff withdraw one; a
withdrawal is a row (`branch_withdrawn_themes`, `branch_withdrawn_channels`), so a new theme,
channel or branch is offered everywhere with no set-up. `BranchGaps.offers` is the rule; the
free-slot engine and the branch choice of the booking pages ask it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select

from booking.consultations.models import (
    Channel,
    Theme,
    branch_withdrawn_channels,
    branch_withdrawn_themes,
)
from booking.extensions import db
from booking.org.models import Unit


@dataclass(frozen=True)
class BranchGaps:
    """What branches withdrew, for one theme: read once, asked for every interval."""

    theme_closed_at: frozenset[int] = frozenset()
    channels_closed_at: dict[int, frozenset[str]] = field(default_factory=dict)

    def offers(self, unit_id: int | None, channel_slug: str) -> bool:
        """The branch offers the theme over the channel (no branch: nothing is withdrawn)."""
        if unit_id is None:
            return True
        if unit_id in self.theme_closed_at:
            return False
        return channel_slug not in self.channels_closed_at.get(unit_id, ())


def gaps_for(theme_id: int) -> BranchGaps:
    """The withdrawals that matter for a theme, in two queries."""
    closed = frozenset(
        db.session.scalars(
            select(branch_withdrawn_themes.c.unit_id).where(
                branch_withdrawn_themes.c.theme_id == theme_id
            )
        )
    )
    by_unit: dict[int, set[str]] = defaultdict(set)
    for unit_id, slug in db.session.execute(
        select(branch_withdrawn_channels.c.unit_id, Channel.slug).join(
            Channel, Channel.id == branch_withdrawn_channels.c.channel_id
        )
    ):
        by_unit[unit_id].add(slug)
    return BranchGaps(closed, {u: frozenset(s) for u, s in by_unit.items()})


def withdrawn_of(unit: Unit) -> tuple[set[int], set[int]]:
    """(theme ids, channel ids) the branch has withdrawn."""
    themes = set(db.session.scalars(
        select(branch_withdrawn_themes.c.theme_id).where(branch_withdrawn_themes.c.unit_id == unit.id)
    ))  # fmt: skip
    channels = set(db.session.scalars(
        select(branch_withdrawn_channels.c.channel_id)
        .where(branch_withdrawn_channels.c.unit_id == unit.id)
    ))  # fmt: skip
    return themes, channels


def set_branch_offers(unit: Unit, theme_ids: set[int], channel_ids: set[int]) -> None:
    """The branch offers exactly these themes and channels (of those that exist)."""
    all_themes = set(db.session.scalars(select(Theme.id)))
    all_channels = set(db.session.scalars(select(Channel.id)))
    for table, column, withdrawn in (
        (branch_withdrawn_themes, "theme_id", all_themes - theme_ids),
        (branch_withdrawn_channels, "channel_id", all_channels - channel_ids),
    ):
        db.session.execute(delete(table).where(table.c.unit_id == unit.id))
        if withdrawn:
            db.session.execute(
                insert(table), [{"unit_id": unit.id, column: i} for i in sorted(withdrawn)]
            )
    db.session.flush()
