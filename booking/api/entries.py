"""`/exhibitions/<id>/entries`: door scans from entrance devices (being built)."""

from __future__ import annotations
