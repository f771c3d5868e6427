"""My Page tests book every kind of thing: the events, consultations and exhibitions factories."""

from tests.consultations.conftest import book, catalogue, make_advisor, theme  # noqa: F401
from tests.exhibitions.conftest import make_exhibitor, make_fair  # noqa: F401
