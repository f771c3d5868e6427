"""Forms of the staff back office of an event: the waitlist, the door and the lottery.

Forms shown once per row get field ids with the registration's id (`move12-position`), so
every field of the page has an id of its own; their names stay plain.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from booking.forms import BoundedIntegerField

REASON_HINT = _l("記録に残ります（操作履歴に表示）。")


class MoveForm(FlaskForm):
    position = BoundedIntegerField(
        _l("新しい順番"),
        validators=[DataRequired(_l("順番を数字で入力してください。")), NumberRange(min=1)],
        render_kw={"inputmode": "numeric", "min": 1},
    )
    reason = StringField(
        _l("理由"),
        validators=[DataRequired(_l("理由を入力してください（記録に残ります）。")),
                    Length(max=500)],
    )  # fmt: skip


class PromoteForm(FlaskForm):
    reason = StringField(_l("理由（任意）"), validators=[Optional(), Length(max=500)])


class UndoCheckInForm(FlaskForm):
    reason = StringField(_l("取り消す理由（任意）"), validators=[Optional(), Length(max=500)])


def _weightings():
    return [
        SelectChoice("", _l("なし（全員同じ確率）")),
        SelectChoice("weighted", _l("重み付けあり: 初参加の会社を先に、過去に無断欠席のある会社を後に")),
    ]  # fmt: skip


class LotteryForm(FlaskForm):
    weighting = RadioField(_l("重み付け"), choices=_weightings, default="")


class DeadlineForm(FlaskForm):
    closes_at = DateTimeLocalField(
        _l("申込締切"), format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(_l("申込締切の日時を入力してください。"))],
    )  # fmt: skip
