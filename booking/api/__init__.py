"""The JSON API under /api/v1 (a contract: see ARCHITECTURE.md).

Importing a module registers its routes on `bp`; add a domain's module to the list below.
"""

from booking.api import (  # noqa: F401  (routes register on import)
    attendees,
    calendar,
    consultations,
    entries,
    events,
    events_openapi,
    exhibitions,
    frames,
    frames_openapi,
    me,
    meetings,
)
from booking.api.blueprint import bp

__all__ = ["bp"]
