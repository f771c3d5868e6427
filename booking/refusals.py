"""The one shape of a write view: run the action; if a rule refuses it, undo and say why.

    if form.validate_on_submit():
        with refusals(form):
            register(...)
            flash(_("お申し込みを受け付けました。"), "success")
            return redirect(...)
    return form_page("events/register.html", form, event=event)

A refusal (`DomainError`) undoes the unit of work's changes and lands on its field (or at the
top of the form), or in a flash when there is no form. The API lets it propagate: the error
handler answers `{"error": {code, message}}` and the unit of work rolls back.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import flash, render_template
from flask_wtf import FlaskForm

from booking.errors import DomainError
from booking.main.forms import apply_domain_error
from booking.unit_of_work import undo


class refusals:  # lower case: used as `with refusals(form):`, like contextlib's helpers
    """Catch a rule's refusal: undo, then show it on `form` (mapping its field) or flash it.

    `quiet=True` only undoes and keeps the error in `.refused`: for pages that show a refusal
    in a place of their own (a message box, another template) or answer its own status.
    """

    def __init__(
        self,
        form: FlaskForm | None = None,
        *,
        fields: Mapping[str, str] | None = None,
        quiet: bool = False,
    ):
        self.form, self.fields, self.quiet = form, fields or {}, quiet
        self.refused: DomainError | None = None

    def __enter__(self) -> refusals:
        return self

    def __exit__(self, kind, exc, _tb) -> bool:
        if exc is None or not isinstance(exc, DomainError):
            return False
        undo()
        self.refused = exc
        if self.quiet:
            return True
        if self.form is None:
            flash(str(exc.message), "error")
            return True
        if exc.field:
            # "frames[0].capacity" → "frames" → the form's field for it
            base = exc.field.split(".")[0].split("[")[0]
            exc.field = self.fields.get(base, base)
        apply_domain_error(self.form, exc)
        return True


def has_errors(form: FlaskForm) -> bool:
    """Any message on the form (WTForms caches `form.errors`; refusals are added after)."""
    return bool(form.form_errors or any(field.errors for field in form))


def form_page(template: str, form: FlaskForm, **context) -> tuple[str, int]:
    """The form's page: 422 when it carries a message, so the unit of work rolls back."""
    return render_template(template, form=form, **context), 422 if has_errors(form) else 200
