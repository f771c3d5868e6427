"""Helpers every form view uses: domain errors onto fields, safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm

from booking.errors import Conflict, DomainError, NotAllowed


def apply_domain_error(form: FlaskForm, exc: DomainError) -> None:
    """Show a rule's refusal next to its field, or at the top of the form.

    A conflict with the state of things (full, busy, closed, already registered) or a rule
    that does not allow it is not a mistake in what was typed: the form says so (`form.refused`), and its summary is headed
    "could not complete" rather than "check what you entered"."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, str(exc.message)]
    else:
        form.form_errors.append(str(exc.message))
        form.refused = getattr(form, "refused", False) or isinstance(exc, (Conflict, NotAllowed))


def safe_next(target: str | None) -> str | None:
    """Only same-site paths: `?next=https://evil.example` must not redirect away."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target
