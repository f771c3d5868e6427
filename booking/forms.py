"""Form building blocks shared by every domain: normalising fields, bounded numbers and the
furigana check."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField
from wtforms.validators import Length, ValidationError

from booking.storable import in_int_range
from booking.textnorm import (
    has_pictograph,
    is_katakana,
    is_phone_number,
    normalise_email,
    normalise_member_no,
    normalise_phone,
    normalise_postal_code,
    to_katakana,
)


def EmailInput(label, **kw) -> StringField:
    return StringField(label, filters=[normalise_email], render_kw={"autocomplete": "email",
                       "inputmode": "email", "type": "email"}, **kw)  # fmt: skip


def PhoneInput(label, **kw) -> StringField:
    validators = [phone_number, *kw.pop("validators", [])]
    return StringField(label, filters=[normalise_phone], validators=validators,
                       render_kw={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}, **kw)  # fmt: skip


def phone_number(_form, field) -> None:
    if field.data and not is_phone_number(field.data):
        raise ValidationError(
            _l("電話番号は数字とハイフンで入力してください（例: 03-1234-5678）。")
        )


def no_pictographs(_form, field) -> None:
    """Names of people and companies: no emoji or pictographs."""
    if has_pictograph(field.data):
        raise ValidationError(_l("絵文字や記号は使えません。文字だけで入力してください。"))


def max_length(n: int) -> Length:
    """At most n characters, said politely (WTForms' own message is stiff)."""
    return Length(max=n, message=_l("%(max)d文字以内で入力してください。"))


def PostalCodeInput(label, **kw) -> StringField:
    return StringField(label, filters=[normalise_postal_code],
                       render_kw={"autocomplete": "postal-code", "inputmode": "numeric"}, **kw)  # fmt: skip


def MemberNoInput(label, **kw) -> StringField:
    return StringField(label, filters=[normalise_member_no], **kw)


def KanaInput(label, **kw) -> StringField:
    """Furigana: hiragana or katakana accepted, kept as katakana."""
    return StringField(
        label, filters=[to_katakana], validators=[katakana_only, *kw.pop("validators", [])], **kw
    )


def katakana_only(_form, field) -> None:
    if field.data and not is_katakana(field.data):
        raise ValidationError(_l("フリガナはひらがなかカタカナで入力してください。"))


class BoundedIntegerField(IntegerField):
    """An integer field that refuses, as a field error, a number no database column can hold."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not in_int_range(self.data):
            self.data = None
            raise ValueError(_l("数値が大きすぎます。"))
