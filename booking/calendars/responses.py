"""HTTP answers for calendars: conditional GET (ETag, Last-Modified → 304), caching headers.

Subscription URLs carry no Content-Disposition (some clients would then download instead of
subscribing); one-off downloads do.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response, request

from booking.calendars import settings
from booking.calendars.items import CalendarItem
from booking.calendars.services import PreparedFeed, items_feed
from booking.timefmt import now_utc

CONTENT_TYPE = "text/calendar; charset=utf-8"


def calendar_response(feed: PreparedFeed, *, download_name: str | None = None) -> Response:
    """The feed, or 304 when the client already has this version (the body is not built)."""
    etag = feed.fingerprint
    inm = request.if_none_match
    if inm:  # RFC 9110: If-None-Match wins over If-Modified-Since
        fresh = inm.contains_weak(etag)
    else:
        ims = request.if_modified_since
        fresh = ims is not None and feed.last_modified.replace(microsecond=0) <= ims
    if fresh:  # a 304 needs no Last-Modified (RFC 9110 15.4.5), so none is computed for it
        response = Response(status=304)
    else:
        response = Response(feed.render(), content_type=CONTENT_TYPE)
        response.last_modified = feed.last_modified.replace(microsecond=0)
        if download_name:
            response.headers["Content-Disposition"] = f'attachment; filename="{download_name}"'
    response.set_etag(etag)
    scope = "private" if feed.private else "public"
    response.headers["Cache-Control"] = f"{scope}, max-age={feed.max_age}"
    if feed.private:
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def ics_download(
    items: Iterable[CalendarItem], filename: str, *, name: str = "", locale: str = "ja"
) -> Response:
    """A one-off .ics of a person's own booking(s), join URL included if the items carry it.

    For the "add to calendar" button of a booking page, from the booking domain's own view
    (which checks that the booking is the person's).
    """
    opts = settings.feed_options(name=name, locale=locale, private=True, alarm=True)
    items = list(items)
    since = max((i.updated_at for i in items), default=now_utc())
    feed = items_feed(items, opts, private=True, now=now_utc(), since=since)
    return calendar_response(feed, download_name=filename)
