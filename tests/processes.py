"""Waiting for child processes without `time.sleep`.

`Popen.communicate(timeout=…)` and `Popen.wait(timeout=…)` poll with `time.sleep`, and under
libfaketime with FAKETIME_DONT_FAKE_MONOTONIC (CI's moved-clock passes) every such sleep fails
with EINVAL: clock_nanosleep's absolute monotonic deadline is shifted by the fake offset. A
blocking call in a thread, joined with a timeout, waits on a lock instead, which works there.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def _within(call: Callable[[], T], proc: subprocess.Popen, seconds: float) -> T:
    result: list[T] = []
    waiter = threading.Thread(target=lambda: result.append(call()), daemon=True)
    waiter.start()
    waiter.join(seconds)
    if not result:
        raise subprocess.TimeoutExpired(proc.args, seconds)
    return result[0]


def communicate_within(proc: subprocess.Popen, seconds: float) -> tuple:
    """What `proc.communicate()` returns, or TimeoutExpired after `seconds`."""
    return _within(proc.communicate, proc, seconds)


def wait_within(proc: subprocess.Popen, seconds: float) -> int:
    """`proc`'s exit status, or TimeoutExpired after `seconds`."""
    return _within(proc.wait, proc, seconds)
