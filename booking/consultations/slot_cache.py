"""A worker's cache of computed free slots, which can never be stale.

An entry is keyed by everything its slots were computed from: the theme's slot length and
buffer, the filters, the local days, and the version of every advisor involved and of the
catalogue (`slot_versions`: database triggers change them in the writer's transaction). The
caller reads those versions in the statement that finds the advisors, which it makes anyway,
so a change committed by any process is seen on the very next call. "Now" is not in the key:
an entry holds whole local days, and the caller cuts the booking window out of it.

The cache belongs to the app (one per worker process); the least recently used entries go
first once it holds `SLOT_CACHE_SIZE` of them (default 16; a 40-advisor, 4-week entry is
about 1.7 MB: at most ~30 MB a worker).
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from flask import current_app


class SlotCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = Lock()

    def get(self, key):
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


def slot_cache() -> SlotCache:
    """The current app's cache (made on first use)."""
    extensions = current_app.extensions
    cache = extensions.get("tsunagu.slot_cache")
    if cache is None:
        cache = extensions.setdefault(
            "tsunagu.slot_cache", SlotCache(current_app.config.get("SLOT_CACHE_SIZE", 16))
        )
    return cache
