"""Fixtures for the staff dashboard tests: the events tests' factory."""

from __future__ import annotations

import pytest


@pytest.fixture
def make_event(app):
    """`make_event(capacity=50, days=7, unit="hq", …)`."""
    from tests.factories import make_event as new_event

    return new_event
