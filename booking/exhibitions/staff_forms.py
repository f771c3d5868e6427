"""Staff forms: an exhibition's rules, zones, booths in bulk and one booth."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from booking.exhibitions.application_forms import size_choices
from booking.exhibitions.booths import MAX_BULK, Placement
from booking.exhibitions.models import Exhibition
from booking.exhibitions.settings import ExhibitionSettings, parse_entrances
from booking.forms import BoundedIntegerField
from booking.timefmt import local_zone, to_local

REQUIRED = _l("入力してください。")
LOCAL = "%Y-%m-%dT%H:%M"


def _cells(label, default: int, minimum: int = 0):
    return BoundedIntegerField(label, default=default,
                        validators=[InputRequired(REQUIRED), NumberRange(min=minimum, max=500)])  # fmt: skip


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


class ZoneForm(FlaskForm):
    code = StringField(_l("ゾーン記号"), validators=[DataRequired(REQUIRED), Length(max=8)])
    name = StringField(_l("ゾーン名"), validators=[DataRequired(REQUIRED), Length(max=100)])


class PlacementFields:
    x = _cells(_l("列（左から、0始まり）"), 0)
    y = _cells(_l("行（上から、0始まり）"), 0)
    w = _cells(_l("幅（マス）"), 2, minimum=1)
    h = _cells(_l("高さ（マス）"), 2, minimum=1)

    def placement(self) -> Placement:
        return Placement(self.x.data, self.y.data, self.w.data, self.h.data)


class BoothsForm(PlacementFields, FlaskForm):
    """Booths in bulk: A-01 … A-12 in a row from (x, y)."""

    zone = SelectField(_l("ゾーン"), coerce=int)
    prefix = StringField(_l("小間番号の頭文字（例：A-）"), validators=[Length(max=10)])
    first = BoundedIntegerField(
        _l("最初の番号"), default=1, validators=[InputRequired(REQUIRED), NumberRange(min=0)]
    )
    count = BoundedIntegerField(
        _l("作成する数"), default=10,
        validators=[InputRequired(REQUIRED), NumberRange(min=1, max=MAX_BULK)],
    )  # fmt: skip
    size = SelectField(_l("大きさ"), choices=size_choices, default="standard")


class BoothForm(PlacementFields, FlaskForm):
    zone = SelectField(_l("ゾーン"), coerce=int)
    code = StringField(_l("小間番号"), validators=[DataRequired(REQUIRED), Length(max=16)])
    size = SelectField(_l("大きさ"), choices=size_choices)
