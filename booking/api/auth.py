"""Bearer-token authentication for the API."""

from __future__ import annotations

from functools import wraps

from flask import g, request

from booking.accounts.models import User
from booking.accounts.services import user_for_api_token
from booking.errors import DomainError
from booking.timefmt import now_utc


class Unauthorized(DomainError):
    code, status = "unauthorized", 401


def authenticate_request() -> None:
    """Before each API request: resolve `Authorization: Bearer …` into `g.api_user`."""
    g.api_user = None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        return
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Authorization must be 'Bearer <token>'.")
    user = user_for_api_token(token.strip(), now_utc())
    if user is None:
        raise Unauthorized("The token is unknown or revoked.")
    g.api_user = user


def api_user() -> User | None:
    return g.get("api_user")


def token_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if api_user() is None:
            raise Unauthorized("A Bearer token is required.")
        return view(*args, **kwargs)

    return wrapper
