"""A small thread-safe least-recently-used map, the shape of every per-worker cache.

The caches that use it are keyed by versions the database keeps (triggers change them in the
writer's transaction), so an entry is never stale: a change gives a new key. The bound only
limits memory; what goes first is what was used least recently.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from flask import current_app


class LRU:
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

    def values(self) -> list:
        with self._lock:
            return list(self._entries.values())


def app_cache(name: str, setting: str, default: int) -> LRU:
    """The current app's cache `name` (one per worker process, made on first use), holding at
    most the app's `setting` entries."""
    extensions = current_app.extensions
    cache = extensions.get(name)
    if cache is None:
        cache = extensions.setdefault(name, LRU(current_app.config.get(setting, default)))
    return cache
