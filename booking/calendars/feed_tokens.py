"""Feed URL tokens: issue, show again, regenerate, resolve.

The URL token is HMAC(SECRET_KEY, seed) with a random seed stored next to the token's hash
(see `FeedToken`): the database alone never yields a working URL, and the owner's page can
show the same URL again without storing it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from booking.accounts.models import User
from booking.calendars.models import FeedToken
from booking.extensions import db
from booking.tokens import new_token, token_hash

_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def _derive(seed: str) -> str:
    """The URL token of a seed: HMAC-SHA256 under a key derived from SECRET_KEY, 43 chars."""
    key = hashlib.sha256(b"tsunagu/calendar-feed\0" + current_app.secret_key.encode()).digest()
    mac = hmac.new(key, seed.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def _reseed(row: FeedToken) -> str:
    row.seed = new_token(32)
    token = _derive(row.seed)
    row.token_hash = token_hash(token)
    return token


def _row(user: User, purpose: str) -> FeedToken | None:
    return db.session.scalar(
        select(FeedToken).where(FeedToken.user_id == user.id, FeedToken.purpose == purpose)
    )


def feed_purposes(user: User) -> list[str]:
    """The feeds a person has: everyone a private one, advisors also their consultations."""
    return ["private"] + (["advisor"] if user.role == "advisor" else [])


def shown_token(user: User, purpose: str = "private") -> str | None:
    """The token of the owner's feed URL, or None when there is none to show (read-only)."""
    row = _row(user, purpose)
    if row is None:
        return None
    token = _derive(row.seed)
    # A changed SECRET_KEY derives another token; the old URL still works but can't be shown.
    return token if hmac.compare_digest(token_hash(token), row.token_hash) else None


def ensure_feed_token(user: User, now: datetime, purpose: str = "private") -> str:
    """The person's feed token, issuing one the first time (safe against a concurrent twin)."""
    # Read the row once: reading it twice lets a twin's commit land in between, and the
    # second read would then look like a changed SECRET_KEY and regenerate the twin's token.
    row = _row(user, purpose)
    if row is not None:
        token = _derive(row.seed)
        if hmac.compare_digest(token_hash(token), row.token_hash):
            return token
        # SECRET_KEY changed: the URL can no longer be shown, so renew it.
        return regenerate_feed_token(user, now, purpose)
    try:
        with db.session.begin_nested():
            row = FeedToken(user_id=user.id, purpose=purpose, created_at=now)
            token = _reseed(row)
            db.session.add(row)
    except IntegrityError:  # another request issued it first: show theirs
        return shown_token(user, purpose) or regenerate_feed_token(user, now, purpose)
    return token


def regenerate_feed_token(user: User, now: datetime, purpose: str = "private") -> str:
    """A new token; the old URL stops working as soon as the caller commits."""
    row = _row(user, purpose)
    if row is None:
        return ensure_feed_token(user, now, purpose)
    token = _reseed(row)
    row.regenerated_at = now
    db.session.flush()
    return token


def token_owner(token: str) -> FeedToken | None:
    """The token row behind a URL token, or None (unknown, revoked, malformed, inactive)."""
    if not _TOKEN_SHAPE.fullmatch(token or ""):
        return None
    row = db.session.scalar(
        select(FeedToken)
        .options(joinedload(FeedToken.user))
        .where(FeedToken.token_hash == token_hash(token))
    )
    if row is None or not row.user.active or row.purpose not in feed_purposes(row.user):
        return None
    return row


def feed_url(token: str) -> str:
    return f"{current_app.config['BASE_URL']}/calendar/{token}.ics"


def webcal_url(url: str) -> str:
    return re.sub(r"^https?://", "webcal://", url)


def google_subscribe_url(url: str) -> str:
    from urllib.parse import quote

    return "https://calendar.google.com/calendar/r?cid=" + quote(webcal_url(url), safe="")


def feed_links(token: str) -> dict:
    url = feed_url(token)
    return {"url": url, "webcal_url": webcal_url(url), "google_url": google_subscribe_url(url)}
