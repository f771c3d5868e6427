"""The survey form an attendee fills in (built from the event's questions) and the staff form
that adds a question."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from booking.events.survey_models import SCALE
from booking.events.surveys import TEXT_MAX

CHOOSE = _l("選んでください。")


class SurveyForm(FlaskForm):
    """Fields are added per event by `survey_form`."""


def scale_choices() -> list[SelectChoice]:
    ends = {1: _l("1（不満）"), 5: _l("5（満足）")}
    return [SelectChoice(str(n), ends.get(n, str(n))) for n in SCALE]


def survey_form(questions, formdata=None) -> SurveyForm:
    class Form(SurveyForm):
        pass

    for q in questions:
        need = [InputRequired(CHOOSE)] if q.required else [Optional()]
        if q.kind == "scale":
            field = RadioField(q.label, choices=scale_choices(), validators=need)
        elif q.kind == "choice":
            field = RadioField(q.label, choices=[SelectChoice(c, c) for c in q.choices],
                               validators=need)  # fmt: skip
        else:
            field = TextAreaField(q.label, validators=[
                DataRequired(_l("入力してください。")) if q.required else Optional(),
                Length(max=TEXT_MAX, message=_l("%(max)d文字以内で入力してください。")),
            ])  # fmt: skip
        setattr(Form, q.key, field)
    return Form(formdata=formdata)


class SurveyQuestionForm(FlaskForm):
    label = StringField(
        _l("質問"),
        validators=[DataRequired(_l("入力してください。")),
                    Length(max=200, message=_l("%(max)d文字以内で入力してください。"))],
    )  # fmt: skip
    kind = RadioField(
        _l("回答の形式"),
        choices=[SelectChoice("scale", _l("5段階評価（1〜5）")),
                 SelectChoice("choice", _l("選択肢から1つ")),
                 SelectChoice("text", _l("自由記述"))],
        default="scale", validators=[InputRequired(CHOOSE)],
    )  # fmt: skip
    choices = TextAreaField(
        _l("選択肢（1行に1つ）"),
        validators=[
            Optional(),
            Length(max=1200, message=_l("%(max)d文字以内で入力してください。")),
        ],
    )
    required = BooleanField(_l("回答を必須にする"))
