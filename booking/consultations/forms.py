"""Consultation forms: intake, staff booking, consultation days, the consultation record."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from booking import accommodation
from booking.forms import EmailInput

REQUIRED = _l("入力してください。")


class IntakeForm(FlaskForm):
    """The common intake questions; `intake_form_for(theme)` adds the theme's own."""

    theme = HiddenField()
    channel = HiddenField()
    branch = HiddenField()
    advisor = HiddenField()
    start = HiddenField()
    # The routing questionnaire's answers, carried from before the slot choice (`routing.carry`).
    ra = HiddenField()
    topic = StringField(_l("ご相談の概要"), validators=[DataRequired(REQUIRED), Length(max=200)])
    situation = TextAreaField(_l("会社の現状"), validators=[Length(max=2000)])
    goal = TextAreaField(_l("相談で実現したいこと"), validators=[Length(max=2000)])

    def theme_answers(self) -> dict:
        return {f.label.text: f.data or "" for f in self if f.name.startswith("q_")}


def intake_form_for(theme, **kw) -> IntakeForm:
    class ThemeIntakeForm(IntakeForm):
        pass

    for i, question in enumerate(theme.questions or []):
        setattr(ThemeIntakeForm, f"q_{i}", TextAreaField(question, validators=[Length(max=1000)]))
    accommodation.add_fields(ThemeIntakeForm)
    return ThemeIntakeForm(**kw)


def _choices(pairs, blank=None):
    out = [SelectChoice("", blank)] if blank is not None else []
    return out + [SelectChoice(str(v), label) for v, label in pairs]


class StaffBookingForm(FlaskForm):
    """Booking on behalf of a member (phone requests). Date and time are Tokyo time.

    The member is the one chosen in the staff account search (`member`, their id); the
    e-mail field remains for the older path (a page or script that posts an e-mail)."""

    member = HiddenField()
    member_email = EmailInput(_l("会員のメールアドレス"))
    theme = SelectField(_l("ご相談テーマ"), validators=[DataRequired(REQUIRED)])
    channel = SelectField(_l("相談方法"), validators=[DataRequired(REQUIRED)])
    advisor = SelectField(_l("担当"), validators=[Optional()])
    day = DateField(_l("日付"), validators=[InputRequired(REQUIRED)])
    time = TimeField(_l("開始時刻（日本時間）"), validators=[InputRequired(REQUIRED)])
    topic = StringField(_l("ご相談の概要"), validators=[DataRequired(REQUIRED), Length(max=200)])
    situation = TextAreaField(_l("会社の現状"), validators=[Length(max=2000)])
    goal = TextAreaField(_l("相談で実現したいこと"), validators=[Length(max=2000)])

    def fill(self, themes, channels, advisors):
        self.theme.choices = _choices(((t.slug, t.name) for t in themes), "")
        self.channel.choices = _choices(((c.slug, c.name) for c in channels), "")
        self.advisor.choices = _choices(((a.id, a.name) for a in advisors), _l("指定なし"))
        return self

    def validate_member_email(self, field):
        if not self.member.data and not field.data:
            raise ValidationError(REQUIRED)


class ConsultationDayForm(FlaskForm):
    title = StringField(_l("名称"), validators=[DataRequired(REQUIRED), Length(max=200)])
    day = DateField(_l("日付"), validators=[InputRequired(REQUIRED)])
    starts = TimeField(_l("開始時刻"), validators=[InputRequired(REQUIRED)])
    ends = TimeField(_l("終了時刻"), validators=[InputRequired(REQUIRED)])
    branch = SelectField(_l("支部"), validators=[DataRequired(REQUIRED)])
    venue_name = StringField(_l("会場名"), validators=[Length(max=200)])
    venue_address = StringField(_l("会場の住所"), validators=[Length(max=300)])
    theme = SelectField(_l("ご相談テーマ"), validators=[Optional()])
    advisors = SelectMultipleField(_l("担当する相談員"), validators=[DataRequired(REQUIRED)])

    def fill(self, branches, themes, advisors):
        self.branch.choices = _choices(((b.id, b.name) for b in branches), "")
        self.theme.choices = _choices(((t.id, t.name) for t in themes), _l("すべてのテーマ"))
        self.advisors.choices = _choices((a.id, a.name) for a in advisors)
        return self

    def validate_ends(self, field):
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError(_l("終了時刻は開始時刻より後にしてください。"))


class RecordForm(FlaskForm):
    attendance = RadioField(
        _l("出席状況"),
        choices=[SelectChoice("attended", _l("出席")), SelectChoice("no_show", _l("無断欠席"))],
        default="attended",
        validators=[DataRequired(REQUIRED)],
    )
    outcome = TextAreaField(_l("相談内容と結果"), validators=[DataRequired(REQUIRED)])
    follow_up = TextAreaField(_l("フォローアップ"), validators=[Length(max=4000)])
    next_step = TextAreaField(_l("次のステップ"), validators=[Length(max=4000)])


WEEKDAYS = (_l("月曜日"), _l("火曜日"), _l("水曜日"), _l("木曜日"), _l("金曜日"), _l("土曜日"),
            _l("日曜日"))  # fmt: skip


class WeeklyIntervalForm(FlaskForm):
    weekday = SelectField(
        _l("曜日"), choices=[SelectChoice(str(i), d) for i, d in enumerate(WEEKDAYS)]
    )
    starts = TimeField(_l("開始時刻"), validators=[InputRequired(REQUIRED)])
    ends = TimeField(_l("終了時刻"), validators=[InputRequired(REQUIRED)])
    channel = SelectField(_l("相談方法"), validators=[Optional()])

    def fill(self, channels):
        self.channel.choices = _choices(((c.id, c.name) for c in channels), _l("すべて"))
        return self


class ExceptionForm(FlaskForm):
    day = DateField(_l("日付"), validators=[InputRequired(REQUIRED)])
    kind = RadioField(
        _l("種類"),
        choices=[SelectChoice("off", _l("休み")), SelectChoice("extra", _l("追加の受付時間"))],
        default="off",
    )
    starts = TimeField(_l("開始時刻"), validators=[Optional()])
    ends = TimeField(_l("終了時刻"), validators=[Optional()])
    note = StringField(_l("メモ"), validators=[Length(max=200)])
