"""The clock the tests run on: a set instant that runs on at real speed, never the wall clock.

One instance in a module of its own (see extra_apps.py for why not in conftest). Every app the
tests build gets it as `CLOCK`, and the `app` fixture sets it back to `DEFAULT_INSTANT` before
each test, so the hour, weekday and date the suite runs at do not matter. A test that needs
another moment says so: `clock.move_to(datetime(…))`, `clock.advance(hours=2)`,
`clock.freeze()`.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

# Wednesday 3 June 2026, 09:30 in Tokyo (00:30 UTC): an ordinary working day, the same date in
# UTC and in Japan, before a fair opens its doors and away from any holiday.
DEFAULT_INSTANT = datetime(2026, 6, 3, 0, 30, tzinfo=UTC)
TOKYO = ZoneInfo("Asia/Tokyo")
# The same day at 10:30 in Tokyo: a fair that opens today (at 10:00) has its doors open.
DOORS_OPEN = datetime(2026, 6, 3, 10, 30, tzinfo=TOKYO)


class TravellingClock:
    """`now()` is the set instant plus the (monotonic) time elapsed since, unless frozen.

    `monotonic()` is the machine's plus every `advance` made so far: time let pass goes on the
    durations too (a mail lease's age), while `move_to` and `freeze` leave them alone, as a
    clock that never goes back must.
    """

    def __init__(self, instant: datetime = DEFAULT_INSTANT) -> None:
        self._lock = threading.Lock()
        self._passed = 0.0  # seconds `advance` has added to the monotonic clock
        self.move_to(instant)

    def monotonic(self) -> float:
        with self._lock:
            return time.monotonic() + self._passed

    def now(self) -> datetime:
        with self._lock:
            if self._frozen:
                return self._instant
            return self._instant + timedelta(seconds=time.monotonic() - self._set_at)

    def move_to(self, instant: datetime, *, frozen: bool = False) -> None:
        if instant.tzinfo is None:
            raise ValueError("the clock takes aware datetimes")
        with self._lock:
            self._instant = instant.astimezone(UTC)
            self._set_at = time.monotonic()
            self._frozen = frozen

    def freeze(self) -> None:
        """Stand still at the present instant."""
        self.move_to(self.now(), frozen=True)

    def advance(self, delta: timedelta | None = None, **units: float) -> None:
        delta = delta or timedelta(**units)
        frozen = self._frozen
        self.move_to(self.now() + delta, frozen=frozen)
        with self._lock:
            self._passed += max(delta.total_seconds(), 0.0)

    def follow_system(self) -> None:
        """Run from the system's present, for a test that shares its clock with another
        process (a real `flask scheduler run`), which has only that one."""
        self.move_to(datetime.now(UTC))

    def reset(self) -> None:
        self.move_to(DEFAULT_INSTANT)


CLOCK = TravellingClock()
