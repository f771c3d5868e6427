"""Exhibitions: entrance pages (being built)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("entrance", __name__, url_prefix="/staff/entrance")
