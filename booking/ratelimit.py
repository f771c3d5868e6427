"""Keys for rate limits.

A whole office, or the chamber's own systems, may share one address, so limits count per
account or token and fall back to the address only for anonymous requests.
"""

from __future__ import annotations

import hashlib

from flask import request
from flask_limiter.util import get_remote_address


def client_key() -> str:
    """Bearer token (hashed) if any, else the signed-in account, else the address."""
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        digest = hashlib.sha256(auth[7:].strip().encode()).hexdigest()[:32]
        return f"token:{digest}"
    from flask_login import current_user

    if getattr(current_user, "is_authenticated", False):
        return f"user:{current_user.get_id()}"
    return f"ip:{get_remote_address()}"


def login_key() -> str:
    """Account + address, so one attacker cannot lock a member out from everywhere."""
    from booking.textnorm import normalise_email

    email = normalise_email(request.form.get("email", ""))
    return f"login:{email}:{get_remote_address()}"
