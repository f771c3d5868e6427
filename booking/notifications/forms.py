"""Staff form for one reminder of an event (when, and optionally what it says).

The timing is one of the usual choices (1日前, 終了の翌日, …) or "other": a number, a unit
and before/after the start/end. Either way it is stored as ISO 8601 (`P1D`, `PT2H`).
"""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from booking.notifications.offsets import PRESETS, offset_words, split_amount
from booking.notifications.reminders import parse_duration

REQUIRED = _l("入力してください。")
OTHER = "other"
AMOUNT = re.compile(r"[1-9][0-9]{0,2}")

WHEN = {
    "start-before": _l("開始の前"),
    "start-after": _l("開始の後"),
    "end-before": _l("終了の前"),
    "end-after": _l("終了の後"),
}
UNITS = {"D": _l("日"), "H": _l("時間"), "M": _l("分")}


def _nfkc(value):
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


def preset_key(anchor: str, direction: str, duration: str) -> str:
    return f"{anchor}-{direction}-{duration}"


class ReminderRuleForm(FlaskForm):
    timing = RadioField(_l("送るタイミング"), default=OTHER)
    when = SelectField(
        _l("開始・終了の前後"),
        choices=[SelectChoice(k, v) for k, v in WHEN.items()],
        default="start-before",
    )
    amount = StringField(
        _l("長さ（数字）"),
        filters=[_nfkc],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )  # fmt: skip
    unit = SelectField(
        _l("単位"), choices=[SelectChoice(k, v) for k, v in UNITS.items()], default="D"
    )
    subject = StringField(_l("件名（日本語）"), validators=[Length(max=150)])
    body = TextAreaField(_l("本文（日本語）"), validators=[Length(max=4000)])
    subject_en = StringField(_l("件名（英語）"), validators=[Length(max=150)])
    body_en = TextAreaField(_l("本文（英語）"), validators=[Length(max=4000)])
    active = BooleanField(_l("この通知を送る"), default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timing.choices = [SelectChoice(preset_key(*p), offset_words(*p)) for p in PRESETS] + [
            SelectChoice(OTHER, _l("その他（下で指定する）"))
        ]

    def validate_amount(self, field) -> None:
        if self.timing.data != OTHER:
            return
        if not field.data:
            raise ValidationError(str(REQUIRED))
        if not AMOUNT.fullmatch(field.data):
            raise ValidationError(str(_l("1〜999の数字で入力してください。")))

    def chosen(self) -> tuple[str, str, str]:
        """(anchor, direction, ISO 8601 duration): 1 日 → P1D, 2 時間 → PT2H, 30 分 → PT30M."""
        if self.timing.data != OTHER:
            anchor, direction, duration = self.timing.data.split("-")
            return anchor, direction, duration
        anchor, direction = self.when.data.split("-")
        amount, unit = self.amount.data, self.unit.data
        return anchor, direction, f"P{amount}D" if unit == "D" else f"PT{amount}{unit}"

    def fill_from(self, rule) -> None:
        """Show a stored rule: one of the usual choices, or its duration in amount + unit."""
        key = preset_key(rule.anchor, rule.direction, rule.duration)
        if any(key == preset_key(*p) for p in PRESETS):
            self.timing.data = key
        else:
            self.timing.data = OTHER
            self.when.data = f"{rule.anchor}-{rule.direction}"
            try:
                amount, self.unit.data = split_amount(parse_duration(rule.duration))
            except ValueError:
                amount = ""
            self.amount.data = str(amount)
        for name in ("subject", "body", "subject_en", "body_en", "active"):
            getattr(self, name).data = getattr(rule, name)
