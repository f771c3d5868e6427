"""Mail about something created in this very transaction: no outbox row can exist for it yet.

Planning a message looks its key up first (planning again re-times one row), and planning a
booking's mail cancels what an earlier state of it planned. For a registration inserted a
moment ago both are pointless round trips, taken in the middle of an opening-minute rush. Inside
`with new_subject("registration:42"):` the keys of that subject (`registration:42:…`,
`reminder:registration:42:…`) are known to be new: `plan_message` adds its row without a
lookup (the rows are written together at the next flush), and cancelling them is a no-op.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_NEW: ContextVar[tuple[str, ...]] = ContextVar("tsunagu_new_subjects", default=())


@contextmanager
def new_subject(about: str) -> Iterator[None]:
    """Plan mail about `about`, created in this transaction (before anything about it)."""
    token = _NEW.set((*_NEW.get(), f"{about}:"))
    try:
        yield
    finally:
        _NEW.reset(token)


def is_new(key: str) -> bool:
    """Whether an outbox key (or key prefix) names mail about a subject created just now."""
    return any(f":{subject}" in f":{key}:" for subject in _NEW.get())
