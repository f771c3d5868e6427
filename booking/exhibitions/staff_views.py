"""Exhibitions: staff_exhibitions pages (being built)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("staff_exhibitions", __name__, url_prefix="/staff/exhibitions")
