"""Forms of verified membership: the person's claim, and staff's decision on a pending one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired

from booking.accounts.claims import MAX_NOTE
from booking.forms import max_length, no_pictographs

REQUIRED = _l("入力してください。")


class ClaimForm(FlaskForm):
    member_no = StringField(
        _l("会員番号"), validators=[DataRequired(REQUIRED), max_length(32), no_pictographs],
        render_kw={"autocomplete": "off", "inputmode": "numeric"},
    )  # fmt: skip
    fact = StringField(
        _l("会社の電話番号または郵便番号"),
        validators=[DataRequired(REQUIRED), max_length(40), no_pictographs],
        render_kw={"autocomplete": "off", "inputmode": "tel"},
    )  # fmt: skip


class DecisionForm(FlaskForm):
    note = TextAreaField(
        _l("ご本人へのメッセージ"), validators=[max_length(MAX_NOTE), no_pictographs],
        render_kw={"rows": 4},
    )  # fmt: skip
