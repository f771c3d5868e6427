"""The API blueprint and what every route shares: token auth, JSON body parsing, limits.

Each domain's routes live in a module of this package (`me.py`, `events.py`, …) that adds
them to `bp` and their description to `openapi.PATHS`.
"""

from __future__ import annotations

from flask import Blueprint, current_app, request

from booking.api.auth import authenticate_request
from booking.errors import Invalid
from booking.extensions import csrf, limiter
from booking.ratelimit import client_key
from booking.storable import check_json_ints

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token-authenticated, no cookies: CSRF does not apply
limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=client_key)(bp)
bp.before_request(authenticate_request)


def json_body() -> dict:
    """The request's JSON object.

    :raises Invalid: not JSON, not an object, or an integer in it no column could hold.
    """
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid("The body must be a JSON object.", code="bad_json")
    check_json_ints(data)
    return data
