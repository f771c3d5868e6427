"""Sign-in, sign-up, password reset and profile forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from booking.accounts.services import MIN_PASSWORD
from booking.forms import EmailInput, KanaInput, PhoneInput, max_length, no_pictographs

REQUIRED = _l("入力してください。")
EMAIL_FORMAT = _l("メールアドレスの形式が正しくありません。")


class LoginForm(FlaskForm):
    email = EmailInput(_l("メールアドレス"), validators=[DataRequired(REQUIRED)])
    password = PasswordField(
        _l("パスワード"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"autocomplete": "current-password"},
    )


class NameFields:
    family_name = StringField(_l("姓"), validators=[DataRequired(REQUIRED), max_length(60),
                              no_pictographs], render_kw={"autocomplete": "family-name"})  # fmt: skip
    given_name = StringField(_l("名"), validators=[DataRequired(REQUIRED), max_length(60),
                             no_pictographs], render_kw={"autocomplete": "given-name"})  # fmt: skip
    family_kana = KanaInput(
        _l("セイ（フリガナ）"), validators=[DataRequired(REQUIRED), max_length(60)]
    )
    given_kana = KanaInput(
        _l("メイ（フリガナ）"), validators=[DataRequired(REQUIRED), max_length(60)]
    )
    phone = PhoneInput(_l("電話番号"), validators=[max_length(32)])


def _password_length():
    return Length(
        min=MIN_PASSWORD, message=_l("パスワードは%(n)d文字以上にしてください。", n=MIN_PASSWORD)
    )


class SignupContactFields:
    """Who signs up, besides their name: before the password, as the page asks."""

    company_name = StringField(
        _l("会社名・団体名"),
        validators=[Optional(), max_length(200), no_pictographs],
        render_kw={"autocomplete": "organization"},
    )
    email = EmailInput(
        _l("メールアドレス"),
        validators=[DataRequired(REQUIRED), Email(EMAIL_FORMAT), max_length(254)],
    )


class NewAccountFields:
    """A new account's password, typed twice, and the consent to the handling of personal
    information (sign-up, and joining a company by an invitation)."""

    password = PasswordField(
        _l("パスワード"),
        validators=[DataRequired(REQUIRED), _password_length()],
        render_kw={"autocomplete": "new-password"},
    )
    password_again = PasswordField(
        _l("パスワード（確認）"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("パスワードが一致しません。"))],
        render_kw={"autocomplete": "new-password"},
    )
    privacy = BooleanField(
        _l("個人情報の取扱いに同意する"),
        validators=[DataRequired(_l("ご登録には個人情報の取扱いへの同意が必要です。"))],
    )


class SignupForm(NameFields, SignupContactFields, NewAccountFields, FlaskForm):
    """Sign-up of a guest account."""


class ResetRequestForm(FlaskForm):
    email = EmailInput(
        _l("メールアドレス"), validators=[DataRequired(REQUIRED), Email(EMAIL_FORMAT)]
    )


class ResetForm(FlaskForm):
    password = PasswordField(
        _l("新しいパスワード"),
        validators=[DataRequired(REQUIRED), _password_length()],
        render_kw={"autocomplete": "new-password"},
    )
    password_again = PasswordField(
        _l("新しいパスワード（確認）"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("パスワードが一致しません。"))],
        render_kw={"autocomplete": "new-password"},
    )


class ProfileForm(NameFields, FlaskForm):
    locale = SelectField(
        _l("表示言語"), choices=[SelectChoice("ja", "日本語"), SelectChoice("en", "English")]
    )


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CompanyInterestsForm(FlaskForm):
    """A member company's sections of interest (used for recommendations)."""

    interests = CheckboxesField(_l("関心のある分野"), coerce=str, validate_choice=True)
