"""What templates ask of events: Markdown, pass QR codes, times, the event's words and the
cancelling rule. `init_app` registers them app-wide (mails are rendered outside any request
to the events pages, so they cannot be the blueprint's own)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from markupsafe import Markup

from booking.timefmt import to_local


def markdown_filter(text: str) -> Markup:
    """Markdown without raw HTML (the `js-default` preset escapes it): safe to show."""
    from markdown_it import MarkdownIt

    return Markup(MarkdownIt("js-default").render(text or ""))


def qr_svg(token: str) -> Markup:
    """The pass QR code inline on a page, with a title screen readers say."""
    import segno

    qr = segno.make(token, error="m")
    svg = qr.svg_inline(scale=8, border=2, title=_("参加証のQRコード"))
    # A viewBox, so that CSS may size it (printed passes, phones) and it scales, not clips.
    width, height = qr.symbol_size(scale=8, border=2)
    return Markup(svg.replace("<svg ", f'<svg viewBox="0 0 {width} {height}" ', 1))


def qr_png(token: str) -> str:
    """A data: URI of the pass QR code, for mails (rendered at send time, not stored)."""
    import segno

    return segno.make(token, error="m").png_data_uri(scale=5, border=2)


def hhmm(value: datetime) -> str:
    return to_local(value).strftime("%H:%M")


MAP_SEARCH = "https://www.google.com/maps/search/?api=1&query="


def map_url(address: str) -> str:
    """A map service's search for a venue's address (the query URL-encoded)."""
    from urllib.parse import quote

    return MAP_SEARCH + quote(address or "", safe="")


def fill_pct(frame) -> int:
    """How full a frame is, in whole per cent (0 for a frame without seats)."""
    if not frame.capacity:
        return 0
    return min(100, round(frame.taken * 100 / frame.capacity))
