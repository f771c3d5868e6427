"""The entrance desk's form for a walk-in visitor (当日受付)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, Length, Optional

from booking.accounts.forms import EMAIL_FORMAT, NameFields
from booking.forms import EmailInput


class WalkInForm(NameFields, FlaskForm):
    company = StringField(_l("会社名"), validators=[Length(max=200)],
                          render_kw={"autocomplete": "organization"})  # fmt: skip
    email = EmailInput(
        _l("メールアドレス"), validators=[Optional(), Email(EMAIL_FORMAT), Length(max=254)]
    )
    frame = SelectField(_l("参加枠"), coerce=int)
    attestation = BooleanField(_l("健康状態を確認しました"))

    @classmethod
    def for_fair(cls, event, frames, formdata=None) -> WalkInForm:
        """The form for one fair: its walk-in frames; the health check only if it asks one."""
        form = cls(formdata=formdata)
        form.frame.choices = [SelectChoice(f.id, f.name) for f in frames]
        if not event.attestation:
            del form.attestation
        return form
