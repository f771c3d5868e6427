"""Exhibitions: exhibitor_page pages (being built)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("exhibitor_page", __name__, url_prefix="/exhibitor")
