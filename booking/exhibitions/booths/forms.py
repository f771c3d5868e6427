"""Staff forms of zones and booths: a zone, booths in bulk, one booth."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from booking.exhibitions.applications.forms import size_choices
from booking.exhibitions.booths.services import MAX_BULK, Placement
from booking.forms import BoundedIntegerField

REQUIRED = _l("入力してください。")
LOCAL = "%Y-%m-%dT%H:%M"


def _cells(label, default: int, minimum: int = 0):
    return BoundedIntegerField(label, default=default,
                        validators=[InputRequired(REQUIRED), NumberRange(min=minimum, max=500)])  # fmt: skip


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
