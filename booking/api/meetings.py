"""`/exhibitions/...`: meetings read endpoints (being built)."""

from __future__ import annotations
