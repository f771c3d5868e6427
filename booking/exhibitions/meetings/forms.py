"""Forms of meetings (商談) and leads: meeting hours, booking, the pass scan."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from booking.timefmt import parse_day

REQUIRED = _l("入力してください。")


def mode_labels() -> dict[str, str]:
    return {"booth": _l("ブースで商談"), "online": _l("オンライン商談")}


class HoursForm(FlaskForm):
    """One interval of meeting hours on a fair day (Tokyo time)."""

    # The service says why a day is refused ("not a fair day"), so no generic choice check.
    day = SelectField(
        _l("日付"), validators=[DataRequired(_l("日付を選んでください。"))], validate_choice=False
    )

    def validate_day(self, field) -> None:
        try:
            parse_day(field.data or "")
        except ValueError:
            raise ValidationError(_l("会期中の日付を選んでください。")) from None

    starts = TimeField(
        _l("開始時刻"), validators=[InputRequired(_l("開始時刻を入力してください。"))]
    )
    ends = TimeField(_l("終了時刻"), validators=[InputRequired(_l("終了時刻を入力してください。"))])
    mode = RadioField(
        _l("商談の方法"), validators=[InputRequired(_l("商談の方法を選んでください。"))]
    )


class BookingForm(FlaskForm):
    start = HiddenField()
    mode = HiddenField()
    topic = StringField(_l("商談したい内容"), validators=[Length(max=200)])
    # Unchecked by default: nothing is shared without the visitor ticking it.
    share = BooleanField(_l("連絡先を出展者に共有する"), default=False)


class ScanForm(FlaskForm):
    token = StringField(
        _l("来場証のコード"),
        validators=[DataRequired(_l("来場証のQRコードを読み取ってください。"))],
    )
    agreed = BooleanField(
        _l("来場者から、連絡先を共有することに同意をいただきました"),
        validators=[DataRequired(_l("来場者の同意を確認したら、チェックを入れてください。"))],
    )
