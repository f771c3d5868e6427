"""Access decorators for staff pages."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user


def staff_required(view):
    """Staff and admins only; anyone else gets 404 (staff pages are not advertised)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            from booking.extensions import login_manager

            return login_manager.unauthorized()
        if not current_user.is_staff:
            abort(404)
        return view(*args, **kwargs)

    return wrapper
