"""A worker's caches of computed free slots, which can never be stale.

Two levels, both keyed by everything their slots were computed from: the theme's slot length
and buffer, the filters, the local days, and versions (`slot_versions`: database triggers
change them in the writer's transaction):

- one advisor's whole days, keyed also by that advisor's version and the catalogue's: a change
  to one advisor leaves the other advisors' entries valid, so only that advisor is computed
  again (`advisor_slot_cache`);
- the answer for a set of advisors (their merge), keyed by every advisor's version and the
  catalogue's: a repeated question is one lookup, no merge (`slot_cache`).

Beside them, a theme's branch withdrawals are kept by the catalogue's version (`gaps_cache`),
so computing one advisor again reads that advisor's rows only.

The caller reads the versions in the statement that finds the advisors, which it makes
anyway, so a change committed by any process is seen on the very next call. "Now" is not in
the keys: an entry holds whole local days, and the caller cuts the booking window out of it.

The caches belong to the app (one per worker process); the least recently used entries go
first once they hold `SLOT_CACHE_SIZE` answers (default 16) and `SLOT_CACHE_ADVISOR_SIZE`
advisors' days (default 640: 16 answers of 40 advisors). A merged answer shares its slots with
the advisors' entries it was made from: 40 advisors' 4 weeks (29 local days, 11,442 slots) cost
1.2 MB, about 1 KB an advisor-day, of which the answer's own list is 0.09 MB; after a change
of one advisor the new answer adds only that advisor's days and its list. Were no entry shared
(16 answers and 640 advisors' days all different) a worker would hold about 40 MB
(`bench/slots.py` prints the figures).
"""

from __future__ import annotations

from booking.lru import LRU, app_cache


def slot_cache() -> LRU:
    """The current app's merged answers (made on first use)."""
    return app_cache("tsunagu.slot_cache", "SLOT_CACHE_SIZE", 16)


def advisor_slot_cache() -> LRU:
    """The current app's whole days of single advisors (made on first use)."""
    return app_cache("tsunagu.advisor_slot_cache", "SLOT_CACHE_ADVISOR_SIZE", 640)


def gaps_cache() -> LRU:
    """The current app's branch withdrawals of themes, by catalogue version (small: one per
    theme asked about since the last catalogue change)."""
    return app_cache("tsunagu.slot_gaps_cache", "SLOT_CACHE_SIZE", 16)
