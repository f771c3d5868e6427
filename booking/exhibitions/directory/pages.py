"""The directory's listing (filters, cards, page links) rendered once per worker for visitors
who are not signed in, under the fair's directory version.

Nearly every directory page is an anonymous visitor's first page or a filtered one, and
drawing it (the exhibitors' query, their cards, the category list) was most of its cost. The
listing is kept under the fair's version (versions.py), which the request reads in the
statement that loads the fair: any committed change to what the listing shows gives the fair
a new version, so the next page, on any worker of any host, asks for another key and draws
it afresh. Nothing is invalidated by time; old entries simply age out of the bounded cache.

The rest of the page (header, flashed messages, the CSRF token of a form) is still drawn for
each request, and a signed-in visitor's listing (their bookmarks, their CSRF token in each
card's form) is never kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, request
from flask_babel import get_locale
from markupsafe import Markup

MAX_LISTINGS = 512  # per worker and app: a few MB, every page of a dozen fairs, filters too


@dataclass(frozen=True)
class Listing:
    status: int  # 400 when a filter names nothing
    number: int  # the page shown (the title says it)
    html: Markup


class _Listings:
    def __init__(self) -> None:
        self.entries: OrderedDict[tuple, Listing] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Listing | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: tuple, listing: Listing) -> None:
        with self.lock:
            self.entries[key] = listing
            while len(self.entries) > MAX_LISTINGS:
                self.entries.popitem(last=False)


def listing(
    exhibition_id: int, version: int | None, anonymous: bool, draw: Callable[[], Listing]
) -> Listing:
    """`draw()`, or what it drew before for the same fair version, language and URL.

    `version` must be read before anything `draw` reads, in the same request: a change
    committed in between then leaves a newer listing under the older key, never the reverse.
    """
    if version is None or not anonymous:
        return draw()
    # The URL as asked (the cards' "back" links keep it), the language and the mount point
    # are everything else the listing depends on.
    key = (exhibition_id, version, str(get_locale()), request.script_root, request.full_path)
    listings = current_app.extensions.setdefault("tsunagu_directory_listings", _Listings())
    found = listings.get(key)
    if found is None:
        found = draw()
        listings.put(key, found)
    return found
