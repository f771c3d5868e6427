"""Helpers every form view uses: domain errors onto fields, safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm

from booking.errors import DomainError


def apply_domain_error(form: FlaskForm, exc: DomainError) -> None:
    """Show a rule's refusal next to its field, or at the top of the form.

    A refusal that is not about the input (`DomainError.not_the_input`) marks the form
    (`form.refused`): its summary is headed "could not complete", not "check what you
    entered"."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, str(exc.message)]
    else:
        form.form_errors.append(str(exc.message))
        form.refused = getattr(form, "refused", False) or exc.not_the_input


def safe_next(target: str | None) -> str | None:
    """Only same-site paths: `?next=https://evil.example` must not redirect away."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target
