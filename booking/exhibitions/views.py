"""Exhibitions: exhibitions pages (being built)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("exhibitions", __name__, url_prefix="/exhibitions")
