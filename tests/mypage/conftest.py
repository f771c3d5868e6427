"""My Page tests book every kind of thing: the events, consultations and exhibitions factories."""

import pytest

from tests.consultations.conftest import book, catalogue, make_advisor, theme  # noqa: F401
from tests.events.conftest import event_factory
from tests.exhibitions.conftest import make_exhibitor, make_fair  # noqa: F401


@pytest.fixture
def make_event(app):
    return event_factory()
