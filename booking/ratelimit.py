"""Keys for rate limits, and the fixed window counted in one trip to the storage.

A whole office, or the chamber's own systems, may share one address, so limits count per
account or token and fall back to the address only for anonymous requests.
"""

from __future__ import annotations

import hashlib
import threading
import weakref

from flask import Flask, request
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, WindowStats
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import STRATEGIES, FixedWindowRateLimiter

from booking.clock import library_seconds


def client_key() -> str:
    """Bearer token (hashed) if any, else the signed-in account, else the address."""
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        digest = hashlib.sha256(auth[7:].strip().encode()).hexdigest()[:32]
        return f"token:{digest}"
    from flask_login import current_user

    if getattr(current_user, "is_authenticated", False):
        return f"user:{current_user.get_id()}"
    return f"ip:{get_remote_address()}"


def login_key() -> str:
    """Account + address, so one attacker cannot lock a member out from everywhere."""
    from booking.textnorm import normalise_email

    email = normalise_email(request.form.get("email", ""))
    return f"login:{email}:{get_remote_address()}"


# Redis: the fixed window's count and, in the same trip, how long the window has left (the
# script of `limits`' own `incr`, answering with the TTL too).
_INCR_AND_TTL = """
local amount = tonumber(ARGV[2])
local current = redis.call("incrby", KEYS[1], amount)
if tonumber(current) == amount then
    redis.call("expire", KEYS[1], ARGV[1])
end
return {current, redis.call("ttl", KEYS[1])}
"""


class OneTripFixedWindow(FixedWindowRateLimiter):
    """`limits`' fixed window, whose hit brings back what the answer's headers need.

    Flask-Limiter counts the request before the view, then, for the `X-RateLimit-*` and
    `Retry-After` headers, asks the storage again for the count and for the window's end:
    on Redis three trips a request. Here the hit's own answer (the count it made, the
    window's end) is kept for the rest of the request and answers the second question, so
    Redis sees one trip; the limits, the counting and the 429s are `limits`' own.
    """

    def __init__(self, storage) -> None:
        super().__init__(storage)
        self._script = _incr_and_ttl(storage)

    def hit(self, item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
        key = item.key_for(*identifiers)
        if self._script is not None:
            count, ttl = self._script([self.storage.prefixed_key(key)], [item.get_expiry(), cost])
            count, reset = int(count), max(int(ttl), 0) + library_seconds()
        elif isinstance(self.storage, MemoryStorage):
            count, reset = _memory_hit(
                self.storage, key, item.get_expiry(), cost, library_seconds()
            )
        else:
            count = self.storage.incr(key, item.get_expiry(), amount=cost)
            reset = self.storage.get_expiry(key)
        windows = _windows()
        if windows is not None:
            windows[key] = (count, reset)
        return count <= item.amount

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats:
        windows = _windows()
        seen = windows.get(item.key_for(*identifiers)) if windows is not None else None
        if seen is None:
            return super().get_window_stats(item, *identifiers)
        count, reset = seen
        return WindowStats(reset, max(0, item.amount - count))


# How often a worker's memory counters drop the windows that ended (the keys of clients gone).
SWEEP_EVERY = 10.0


def _memory_hit(
    storage: MemoryStorage, key: str, expiry: int, amount: int, now: float
) -> tuple[int, float]:
    """Count a hit in a worker's memory: (the count after it, the window's end).

    `MemoryStorage.incr` counts the same way but first makes sure its expiry timer runs: a
    new thread, started (and waited for) whenever the last one finished 10 ms after the
    previous hit, so nearly every request of a worker started one. Here an ended window is
    dropped when its key is hit, as `MemoryStorage.get` does, and the windows of other keys
    are swept in the request now and then (`SWEEP_EVERY` seconds), not in a thread.
    """
    with _lock(storage):
        if storage.expirations.get(key, 0) <= now:
            storage.storage.pop(key, None)
            storage.expirations.pop(key, None)
        if now >= getattr(storage, "swept_at", 0.0) + SWEEP_EVERY:
            _sweep(storage, now)
        # Read and written once each: `MemoryStorage.get` may drop an ended window (without
        # any lock) between two reads of the dicts.
        count = storage.storage.get(key, 0) + amount
        storage.storage[key] = count
        ends = storage.expirations.get(key)
        if count == amount or ends is None:
            ends = storage.expirations[key] = now + expiry
        return count, ends


def _lock(storage: MemoryStorage) -> threading.Lock:
    """One lock for all of a worker's counters, held by a hit from its look at the window to
    its count, and by a sweep. (The storage's own per-key locks would not do: a sweep drops
    the lock of an ended window, which a hit may hold while the next hit makes a new one;
    and a hit that dropped an ended window outside the lock could drop a count just made.)
    A hit holds it for a few dict operations, so threads hardly ever wait on it. Kept beside
    the storage, not in it, so that the storage still pickles as `limits` expects."""
    lock = _LOCKS.get(storage)
    if lock is None:
        with _MAKING_LOCKS:
            lock = _LOCKS.setdefault(storage, threading.Lock())
    return lock


_LOCKS: weakref.WeakKeyDictionary[MemoryStorage, threading.Lock] = weakref.WeakKeyDictionary()
_MAKING_LOCKS = threading.Lock()


def sweep(storage: MemoryStorage, now: float) -> None:
    """Drop the counters whose window ended by `now` (memory of clients that went away)."""
    with _lock(storage):
        _sweep(storage, now)


def _sweep(storage: MemoryStorage, now: float) -> None:
    storage.swept_at = now
    for key, ends in list(storage.expirations.items()):
        if ends <= now:
            storage.storage.pop(key, None)
            storage.expirations.pop(key, None)


def _incr_and_ttl(storage):
    """The script on this storage's Redis (registering it costs no trip), or None."""
    if isinstance(storage, RedisStorage):
        return storage.get_connection().register_script(_INCR_AND_TTL)
    return None


def _windows() -> dict[str, tuple[int, float]] | None:
    """This request's hits: key → (count after the hit, the window's end); None outside one."""
    try:
        current = request._get_current_object()
    except RuntimeError:  # no request
        return None
    windows = getattr(current, "rate_windows", None)
    if windows is None:
        windows = current.rate_windows = {}
    return windows


ONE_TRIP_FIXED_WINDOW = "fixed-window-one-trip"


def init_app(app: Flask) -> None:
    """Before the limiter is bound: the fixed window (Flask-Limiter's default), in one trip."""
    STRATEGIES.setdefault(ONE_TRIP_FIXED_WINDOW, OneTripFixedWindow)
    app.config.setdefault("RATELIMIT_STRATEGY", ONE_TRIP_FIXED_WINDOW)
