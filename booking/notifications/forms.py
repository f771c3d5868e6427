"""Staff form for one reminder of an event (when, and optionally what it says)."""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp

REQUIRED = _l("入力してください。")

WHEN = {
    "start-before": _l("開始の前"),
    "start-after": _l("開始の後"),
    "end-before": _l("終了の前"),
    "end-after": _l("終了の後"),
}
UNITS = {"D": _l("日"), "H": _l("時間"), "M": _l("分")}


def _nfkc(value):
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


class ReminderRuleForm(FlaskForm):
    when = SelectField(_l("送るタイミング"), choices=[SelectChoice(k, v) for k, v in WHEN.items()])
    amount = StringField(
        _l("長さ（数字）"),
        filters=[_nfkc],
        validators=[DataRequired(REQUIRED), Regexp(r"^[1-9][0-9]{0,2}$", message=_l("1〜999の数字で入力してください。"))],
        render_kw={"inputmode": "numeric"},
    )  # fmt: skip
    unit = SelectField(_l("単位"), choices=[SelectChoice(k, v) for k, v in UNITS.items()])
    subject = StringField(_l("件名（日本語）"), validators=[Length(max=150)])
    body = TextAreaField(_l("本文（日本語）"), validators=[Length(max=4000)])
    subject_en = StringField(_l("件名（英語）"), validators=[Length(max=150)])
    body_en = TextAreaField(_l("本文（英語）"), validators=[Length(max=4000)])
    active = BooleanField(_l("この通知を送る"), default=True)

    def duration(self) -> str:
        """ISO 8601: 1 日 → P1D, 2 時間 → PT2H, 30 分 → PT30M."""
        amount, unit = self.amount.data, self.unit.data
        return f"P{amount}D" if unit == "D" else f"PT{amount}{unit}"

    def fill_from(self, rule) -> None:
        """Show a stored rule (its duration back in amount + unit)."""
        self.when.data = f"{rule.anchor}-{rule.direction}"
        text = rule.duration
        self.unit.data = "D" if text.startswith("P") and "T" not in text else text[-1]
        self.amount.data = text.strip("PTDHM")
        for name in ("subject", "body", "subject_en", "body_en", "active"):
            getattr(self, name).data = getattr(rule, name)
