"""The one clock every "now" in Tsunagu comes from.

Production reads the system clock. Tests and demos hand `create_app` another clock through
the `CLOCK` setting (any object with `now() -> aware UTC datetime`), so what a page, a
service or a job decides never depends on the hour the process happens to run at.
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


def library_seconds() -> float:
    """The machine's time in seconds since the epoch, for the counts a library keeps on its own
    clock: rate-limit windows, which `limits` ends and reads with `time.time()`. Never a rule's
    "now" (that is `current_clock().now()`): moving the app's clock moves no rate limit."""
    return time.time()
