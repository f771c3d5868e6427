"""Exhibitions: exhibit_apply pages (being built)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("exhibit_apply", __name__, url_prefix="/exhibitions")
