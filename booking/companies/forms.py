"""Forms of the company pages: invite a colleague, register one, hand a seat over, join."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Optional

from booking.accounts.forms import EMAIL_FORMAT, REQUIRED, NewAccountFields
from booking.forms import EmailInput, KanaInput, max_length, no_pictographs

NEW_PERSON = "new"


class PersonNameFields:
    family_name = StringField(_l("姓"), validators=[DataRequired(REQUIRED), max_length(60),
                              no_pictographs], render_kw={"autocomplete": "off"})  # fmt: skip
    given_name = StringField(_l("名"), validators=[DataRequired(REQUIRED), max_length(60),
                             no_pictographs], render_kw={"autocomplete": "off"})  # fmt: skip
    family_kana = KanaInput(
        _l("セイ（フリガナ）"), validators=[DataRequired(REQUIRED), max_length(60)]
    )
    given_kana = KanaInput(
        _l("メイ（フリガナ）"), validators=[DataRequired(REQUIRED), max_length(60)]
    )


class InviteForm(PersonNameFields, FlaskForm):
    email = EmailInput(
        _l("メールアドレス"),
        validators=[DataRequired(REQUIRED), Email(EMAIL_FORMAT), max_length(254)],
    )


class ColleagueForm(FlaskForm):
    """Who is registered: a colleague, or a new person (then name, furigana and e-mail).

    Posted together with the event's registration form (which carries the CSRF token)."""

    class Meta:
        csrf = False

    colleague = SelectField(_l("お申し込みになる方"), validators=[DataRequired(REQUIRED)])
    family_name = StringField(_l("姓"), validators=[Optional(), max_length(60), no_pictographs])
    given_name = StringField(_l("名"), validators=[Optional(), max_length(60), no_pictographs])
    family_kana = KanaInput(_l("セイ（フリガナ）"), validators=[Optional(), max_length(60)])
    given_kana = KanaInput(_l("メイ（フリガナ）"), validators=[Optional(), max_length(60)])
    email = EmailInput(
        _l("メールアドレス"), validators=[Optional(), Email(EMAIL_FORMAT), max_length(254)]
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.colleague.data == NEW_PERSON:
            for f in (self.family_name, self.given_name, self.family_kana, self.given_kana,
                      self.email):  # fmt: skip
                if not (f.data or "").strip() and not f.errors:
                    f.errors = [*f.errors, REQUIRED]
                    ok = False
        return ok


class HandOverForm(FlaskForm):
    colleague = SelectField(_l("お譲り先の方"), validators=[DataRequired(REQUIRED)])
    attestation = BooleanField(
        _l("会場参加の場合、当日の健康状態（発熱等がないこと）を確認し、受付で申告します")
    )


class ActionForm(FlaskForm):
    """A one-button POST (CSRF only)."""


class JoinForm(PersonNameFields, NewAccountFields, FlaskForm):
    """Joining a company by an invitation, with a new account."""
