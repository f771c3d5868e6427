"""Directory cards rendered once per worker, keyed by everything the card shows.

A directory page draws up to 48 cards, and the card macro was most of the page's CPU. An
anonymous visitor's listing is kept whole (pages.py); when a listing is drawn (for someone
signed in, or afresh after a change) its cards are read from the database (`cards.build_cards`)
and only the HTML of a card is kept here, under a key made of the card's own values (name, furigana, logo
digest, booths and zones, categories…), the page's language and what the card links to.
A change to an exhibitor, its booths, categories or logo changes the card the page reads, so
the next page asks for another key and renders it afresh: an entry can never be stale, there
is nothing to invalidate across workers or hosts, and the old entry simply ages out of the
bounded cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from flask_babel import get_locale
from markupsafe import Markup

from booking.exhibitions.directory.cards import Card

MAX_CARDS = 4096  # per worker: about 3 MB, every card of a dozen fairs in two languages

_cards: OrderedDict[tuple, Markup] = OrderedDict()
_lock = threading.Lock()


def card_key(card: Card) -> tuple:
    """Every value of the card the macro reads."""
    return (
        card.id, card.exhibition_id, card.name, card.kana, card.participation,
        card.online_meetings, card.logo, tuple(card.categories), tuple(card.booths),
    )  # fmt: skip


def rendered_card(macro: Callable[..., str], exhibition, card: Card, *args) -> Markup:
    """`macro(exhibition, card, *args)`, from the cache when this card was drawn the same way
    before (same values, language, links and bookmark state)."""
    key = (str(get_locale()), exhibition.id, card_key(card), args)
    with _lock:
        html = _cards.get(key)
        if html is not None:
            _cards.move_to_end(key)
            return html
    html = Markup(macro(exhibition, card, *args))
    with _lock:
        _cards[key] = html
        while len(_cards) > MAX_CARDS:
            _cards.popitem(last=False)
    return html
