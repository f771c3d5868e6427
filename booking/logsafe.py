"""Paths that carry a secret token, kept out of logs and out of other sites' Referer."""

from __future__ import annotations

import re

# Mail links (account confirm/reset, registration /r/, meeting /c/, consultation /m/, pass)
# and calendar feeds.
_SECRET_PATH = re.compile(
    r"(/(?:account/(?:confirm|reset)|company/join|calendar|r|c|m|pass)/)[A-Za-z0-9_\-]{16,}"
)


def redact(text: str) -> str:
    return _SECRET_PATH.sub(r"\1[redacted]", text)


def carries_secret(path: str) -> bool:
    """Whether this URL path holds a secret token (so it must not travel in a Referer)."""
    return _SECRET_PATH.search(path) is not None
