"""Keys for rate limits.

A whole office, or the chamber's own systems, may share one address, so limits count per
account or token and fall back to the address only for anonymous requests.
"""

from __future__ import annotations

import hashlib
import threading
import time

from flask import request
from flask_limiter.util import get_remote_address
from limits.storage import MemoryStorage


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


class InlineMemoryStorage(MemoryStorage):
    """`memory://` of `limits` (one worker's own counters, used when no REDIS_URL is set),
    without a thread per request: `MemoryStorage` starts a `threading.Timer` to drop expired
    counters whenever the last one has run, i.e. about once a request in a rush. Here the
    request's own thread drops them, at most once a second. Counting does not depend on it:
    a fixed window's count is read through its expiry, a moving window's by its entries'
    times; the sweep only frees memory."""

    STORAGE_SCHEME = ["tsunagu-memory"]
    SWEEP_EVERY = 1.0

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        self._next_sweep = 0.0
        self._sweeping = threading.Lock()
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the timer (name-mangled)
        now = time.time()
        if now < self._next_sweep or not self._sweeping.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + self.SWEEP_EVERY
            self._MemoryStorage__expire_events()
        finally:
            self._sweeping.release()
