"""The blueprint of meetings (商談) and leads, shared by the visitor and exhibitor pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("meetings", __name__)
