"""The follow buttons, the "follow something else" chooser and the digest switch."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired

from booking.forms import max_length


class UnitForm(FlaskForm):
    """A follow or unfollow button: one unit by its key (`branch:chiyoda`); `next` is the
    page to come back to."""

    unit = HiddenField(validators=[DataRequired(), max_length(80)])
    next = HiddenField(validators=[max_length(300)])


class ChooseForm(FlaskForm):
    unit = SelectField(_l("フォローする支部・部会・グループ"),
                       validators=[DataRequired(_l("選んでください。"))])  # fmt: skip


class DigestForm(FlaskForm):
    wanted = HiddenField(validators=[DataRequired(), max_length(3)])
