"""The one clock every "now" in Tsunagu comes from.

Production reads the system clock. Tests and demos hand `create_app` another clock through
the `CLOCK` setting (any object with `now() -> aware UTC datetime`), so what a page, a
service or a job decides never depends on the hour the process happens to run at. A clock may
also answer `monotonic()` (seconds that never go back): how long something has run, such as a
mail lease's age, is then read from it too, so a test can let minutes pass without waiting.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol

from flask import Flask, current_app, has_app_context


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The machine's clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


SYSTEM_CLOCK = SystemClock()


def init_app(app: Flask) -> None:
    """Bind the configured clock (`CLOCK`), else the system clock, to the app."""
    clock = app.config.get("CLOCK") or SYSTEM_CLOCK
    if not callable(getattr(clock, "now", None)):
        raise RuntimeError("CLOCK must have a now() method that answers an aware UTC datetime")
    app.extensions["tsunagu.clock"] = clock


def current_clock() -> Clock:
    """The app's clock; outside an app (plain scripts) the system clock."""
    if has_app_context():
        return current_app.extensions.get("tsunagu.clock", SYSTEM_CLOCK)
    return SYSTEM_CLOCK


def monotonic(clock: Clock | None = None) -> float:
    """Seconds on a clock that never goes back, for how long something has run: `clock`'s (by
    default the app's) `monotonic()`, else the machine's (a clock may offer only `now()`)."""
    read = getattr(clock or current_clock(), "monotonic", None)
    return read() if read is not None else time.monotonic()


def library_seconds() -> float:
    """The machine's time in seconds since the epoch, for the counts a library keeps on its own
    clock: rate-limit windows, which `limits` ends and reads with `time.time()`. Never a rule's
    "now" (that is `current_clock().now()`): moving the app's clock moves no rate limit."""
    return time.time()
