"""Fixtures for exhibition tests: the fair and exhibitor factories of tests/factories.py.

`make_fair()` builds the visitor event (kind exhibition, one session per day, an in-person
and an online frame), its Exhibition, zones A and B with booths A-01…, B-01…;
`make_exhibitor(fair, status="accepted")` adds a member company with its account user.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from booking.accounts.models import User
from booking.exhibitions.models import Exhibitor
from tests import factories
from tests.factories import Fair


@pytest.fixture
def make_fair(app) -> Callable[..., Fair]:
    """`make_fair(days_ahead=14, n_days=2, booths_per_zone=6, exhibitor_limit=None, **rules)`."""
    return factories.make_fair


@pytest.fixture
def make_exhibitor(app) -> Callable[..., tuple[Exhibitor, User]]:
    """`make_exhibitor(fair, status="accepted", name=None, category="industry",
    participation="both", hours=True)` → (exhibitor, the company's user)."""
    return factories.make_exhibitor
