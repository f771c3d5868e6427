"""Back-office forms: themes, channels, a branch's offers, advisors and their own profile."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from booking.accounts.forms import EMAIL_FORMAT
from booking.consultations.advisor_admin import NEEDED, check_video_url
from booking.consultations.catalogue import local_name
from booking.consultations.forms import REQUIRED
from booking.errors import Invalid
from booking.forms import BoundedIntegerField, EmailInput, KanaInput


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes; ids as strings."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        # Unknown values are dropped rather than refused: a stale page must not lose the rest.
        known = {str(c[0]) if not isinstance(c, SelectChoice) else c.value for c in self.choices}
        self.data = [v for v in (self.data or []) if v in known]


def _number(label, hint=None):
    return BoundedIntegerField(
        label, validators=[InputRequired(REQUIRED)], description=hint or "",
        render_kw={"inputmode": "numeric"},
    )  # fmt: skip


class ThemeForm(FlaskForm):
    name = StringField(_l("テーマ名"), validators=[DataRequired(REQUIRED), Length(max=100)])
    name_en = StringField(_l("テーマ名（英語）"), validators=[Length(max=100)])
    about = TextAreaField(_l("説明"), validators=[Length(max=300)])
    about_en = TextAreaField(_l("説明（英語）"), validators=[Length(max=300)])
    intake_hint = StringField(_l("「ご相談の概要」の記入例"), validators=[Length(max=300)])
    intake_hint_en = StringField(
        _l("「ご相談の概要」の記入例（英語）"), validators=[Length(max=300)]
    )
    slot_minutes = _number(_l("1回の相談時間（分）"))
    buffer_minutes = _number(_l("相談の間の空き時間（分）"))
    min_notice_hours = _number(_l("予約の締切（開始の何時間前まで）"))
    horizon_days = _number(_l("予約を受け付ける期間（何日先まで）"))
    cancel_cutoff_hours = _number(_l("変更・キャンセルの締切（開始の何時間前まで）"))
    questions = TextAreaField(_l("追加の質問（1行に1つ）"), validators=[Length(max=3000)])
    routing = TextAreaField(
        _l("予約前の質問とおすすめ"), validators=[Length(max=6000)], render_kw={"rows": 12}
    )


class ChannelForm(FlaskForm):
    name = StringField(_l("相談方法の名前"), validators=[DataRequired(REQUIRED), Length(max=100)])
    name_en = StringField(_l("相談方法の名前（英語）"), validators=[Length(max=100)])


class BranchOffersForm(FlaskForm):
    themes = CheckboxesField(_l("受け付けるテーマ"), validators=[Optional()])
    channels = CheckboxesField(_l("受け付ける相談方法"), validators=[Optional()])

    def fill(self, themes, channels):
        self.themes.choices = [SelectChoice(str(t.id), local_name(t)) for t in themes]
        self.channels.choices = [SelectChoice(str(c.id), local_name(c)) for c in channels]
        return self


class AdvisorProfileForm(FlaskForm):
    """What an advisor edits about themselves (the rules are the service's, asked here so
    that every problem of the form is shown at once)."""

    title = StringField(_l("肩書き"), validators=[Length(max=100)])
    bio = TextAreaField(_l("自己紹介"), validators=[Length(max=4000)])
    video_url = StringField(
        _l("オンライン相談のURL"), validators=[Length(max=500)],
        render_kw={"inputmode": "url", "type": "url"},
    )  # fmt: skip

    def validate_video_url(self, field):
        try:
            check_video_url(field.data)
        except Invalid as exc:
            raise ValidationError(exc.message) from None


class AdvisorForm(AdvisorProfileForm):
    """Staff: the account, the name, the profile and what the advisor covers."""

    email = EmailInput(
        _l("メールアドレス"),
        validators=[DataRequired(REQUIRED), Length(max=254), Email(EMAIL_FORMAT)],
    )
    family_name = StringField(_l("姓"), validators=[DataRequired(REQUIRED), Length(max=60)])
    given_name = StringField(_l("名"), validators=[Length(max=60)])
    family_kana = KanaInput(
        _l("セイ（フリガナ）"), validators=[DataRequired(REQUIRED), Length(max=60)]
    )
    given_kana = KanaInput(_l("メイ（フリガナ）"), validators=[Length(max=60)])
    themes = CheckboxesField(_l("担当するテーマ"))
    channels = CheckboxesField(_l("相談方法"))
    branches = CheckboxesField(_l("担当する支部"))

    def validate_themes(self, field):
        _needed(field, "themes")

    def validate_channels(self, field):
        _needed(field, "channels")

    def validate_branches(self, field):
        # Branch staff editing a shared advisor keep the other branches: one is enough then.
        if not getattr(self, "keeps_other_branches", False):
            _needed(field, "branches")

    def fill(self, themes, channels, branches):
        self.themes.choices = [SelectChoice(str(t.id), local_name(t)) for t in themes]
        self.channels.choices = [SelectChoice(str(c.id), local_name(c)) for c in channels]
        self.branches.choices = [SelectChoice(str(b.id), b.name) for b in branches]
        return self


def _needed(field, name: str) -> None:
    if not field.data:
        raise ValidationError(NEEDED[name])
