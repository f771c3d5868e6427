"""Registration form, built per event from its frames and questions."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from booking import accommodation
from booking.events.models import Event
from booking.events.registrations import audience_allows, frame_state
from booking.events.words import frame_choice

REQUIRED = _l("入力してください。")
CHOOSE = _l("選んでください。")
OFFERED = ("open", "few_left", "waitlist", "lottery")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RegistrationForm(FlaskForm):
    """Fields are added per event by `registration_form`."""


def offered_frames(event: Event, user, now: datetime):
    """Frames the person may pick now (open, waitlist or lottery; audience allows)."""
    return [f for f in event.frames if frame_state(f, now) in OFFERED and audience_allows(f, user)]


def registration_form(event: Event, user, now: datetime, formdata=None) -> RegistrationForm:
    class Form(RegistrationForm):
        pass

    frames = offered_frames(event, user, now)
    Form.frame = RadioField(
        _l("参加枠"),
        choices=[SelectChoice(str(f.id), frame_choice(f, frame_state(f, now))) for f in frames],
        validators=[InputRequired(CHOOSE)],
        default=str(frames[0].id) if len(frames) == 1 else None,
    )
    for q in event.questions:
        validators = [DataRequired(REQUIRED) if q.required else Optional()]
        if q.kind == "choice":
            field = RadioField(q.label, choices=[SelectChoice(c, c) for c in q.choices],
                               validators=[InputRequired(CHOOSE)] if q.required else [Optional()])  # fmt: skip
        elif q.kind == "checkbox" and q.choices:
            field = MultiCheckboxField(q.label, choices=[SelectChoice(c, c) for c in q.choices],
                                       validators=validators)  # fmt: skip
        elif q.kind == "checkbox":
            field = BooleanField(q.label, validators=validators)
        elif q.kind == "text" and "\n" not in q.label and len(q.label) < 40:
            field = StringField(q.label, validators=[*validators, Length(max=2000)])
        else:
            field = TextAreaField(q.label, validators=[*validators, Length(max=2000)])
        setattr(Form, q.key, field)
    if event.attestation and any(f.mode == "in_person" for f in frames):
        Form.attestation = BooleanField(
            _l("会場参加の場合、当日の健康状態（発熱等がないこと）を確認し、受付で申告します")
        )
    accommodation.add_fields(Form)
    return Form(formdata=formdata)


def answers_from(form: RegistrationForm, event: Event) -> dict:
    return {q.key: form[q.key].data for q in event.questions}
