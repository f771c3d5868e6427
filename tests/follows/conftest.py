"""Hand-made companies for the recommendation and follow tests."""

from __future__ import annotations

from itertools import count

import pytest

from booking.accounts.models import Company
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.org.services import unit_by_key
from booking.timefmt import now_utc
from tests.factories import make_user

_numbers = count(1)


def company(section: str | None = None, branch: str | None = None, interests=()) -> Company:
    """A member company of a section and branch (slugs) with fields of interest (unit keys)."""
    n = next(_numbers)
    made = Company(
        name=f"株式会社手作り{n}", name_kana="テヅクリ", member_no=f"77{n:05d}",
        section=unit_by_key(f"section:{section}") if section else None,
        branch=unit_by_key(f"branch:{branch}") if branch else None,
        interests=[unit_by_key(key) for key in interests],
    )  # fmt: skip
    db.session.add(made)
    db.session.commit()
    return made


@pytest.fixture
def member_of(app):
    """`member_of(section=, branch=, interests=)`: a member of a company made for the test."""

    def make(**kwargs):
        return make_user("member", company=company(**kwargs))

    return make


def register(user, event, frame: int = 0):
    reg = register_for_frame(user, event.id, event.frames[frame].id, {}, now_utc())
    db.session.commit()
    return reg
