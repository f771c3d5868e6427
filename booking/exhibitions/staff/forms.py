"""Staff form of an exhibition: its event, dates, windows and rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from booking.exhibitions.models import Exhibition
from booking.exhibitions.staff.settings import ExhibitionSettings, parse_entrances
from booking.forms import BoundedIntegerField
from booking.timefmt import local_zone, to_local

REQUIRED = _l("入力してください。")
LOCAL = "%Y-%m-%dT%H:%M"


class ExhibitionForm(FlaskForm):
    event = SelectField(_l("来場登録のイベント（種別：展示会）"), coerce=int)
    applications_open_at = DateTimeLocalField(
        _l("出展申込の受付開始"), format=LOCAL, validators=[Optional()]
    )
    applications_close_at = DateTimeLocalField(
        _l("出展申込の締切"), format=LOCAL, validators=[Optional()]
    )
    exhibitor_limit = BoundedIntegerField(
        _l("出展者数の上限（空欄なら制限なし）"),
        validators=[Optional(), NumberRange(min=0, max=10000)],
    )
    meeting_minutes = BoundedIntegerField(
        _l("商談1枠の長さ（分）"), default=30,
        validators=[InputRequired(REQUIRED), NumberRange(min=5, max=240)],
    )  # fmt: skip
    meeting_buffer_minutes = BoundedIntegerField(
        _l("商談の間の休憩（分）"), default=0,
        validators=[InputRequired(REQUIRED), NumberRange(min=0, max=120)],
    )  # fmt: skip
    meeting_notice_minutes = BoundedIntegerField(
        _l("商談予約の締切（開始の何分前）"), default=60,
        validators=[InputRequired(REQUIRED), NumberRange(min=0, max=10080)],
    )  # fmt: skip
    entrances = TextAreaField(
        _l("入口（1行に1つ）"), default="東口\n西口", validators=[DataRequired(REQUIRED)]
    )
    map_columns = BoundedIntegerField(
        _l("配置図の幅（マス）"), default=24,
        validators=[InputRequired(REQUIRED), NumberRange(min=4, max=200)],
    )  # fmt: skip

    def fill_from(self, exhibition: Exhibition) -> None:
        for name in ("exhibitor_limit", "meeting_minutes", "meeting_buffer_minutes",
                     "meeting_notice_minutes", "map_columns"):  # fmt: skip
            getattr(self, name).data = getattr(exhibition, name)
        for name in ("applications_open_at", "applications_close_at"):
            value = getattr(exhibition, name)
            getattr(self, name).data = to_local(value).replace(tzinfo=None) if value else None
        self.entrances.data = "\n".join(exhibition.entrances or [])

    def settings(self) -> ExhibitionSettings:
        def aware(value):
            return value.replace(tzinfo=local_zone()) if value else None

        return ExhibitionSettings(
            applications_open_at=aware(self.applications_open_at.data),
            applications_close_at=aware(self.applications_close_at.data),
            exhibitor_limit=self.exhibitor_limit.data,
            meeting_minutes=self.meeting_minutes.data,
            meeting_buffer_minutes=self.meeting_buffer_minutes.data,
            meeting_notice_minutes=self.meeting_notice_minutes.data,
            entrances=parse_entrances(self.entrances.data or ""),
            map_columns=self.map_columns.data,
        )
