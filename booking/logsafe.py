"""Keeping secret tokens out of logs."""

from __future__ import annotations

import re

# Paths that carry a secret token: mail links and calendar feeds.
_SECRET_PATH = re.compile(r"(/(?:account/(?:confirm|reset)|calendar|r|c|pass)/)[A-Za-z0-9_\-]{16,}")


def redact(text: str) -> str:
    return _SECRET_PATH.sub(r"\1[redacted]", text)
