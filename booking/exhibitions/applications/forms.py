"""The exhibitor application form (applicant and staff) and the staff's decision form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length

from booking.events.forms import MultiCheckboxField
from booking.exhibitions.applications.services import ApplicationInput, section_choices
from booking.forms import EmailInput, KanaInput, MemberNoInput, PhoneInput
from booking.localnames import localized

REQUIRED = _l("入力してください。")
CHOOSE = _l("選んでください。")


def size_choices() -> list[SelectChoice]:
    return [SelectChoice("small", _l("小（1小間の半分）")), SelectChoice("standard", _l("標準（1小間）")),
            SelectChoice("large", _l("大（2小間分）"))]  # fmt: skip


def participation_choices() -> list[SelectChoice]:
    return [SelectChoice("in_person", _l("会場出展")), SelectChoice("online", _l("オンライン出展")),
            SelectChoice("both", _l("会場とオンラインの両方"))]  # fmt: skip


class ApplicationForm(FlaskForm):
    products = TextAreaField(
        _l("出展する製品・サービス"), validators=[DataRequired(REQUIRED), Length(max=4000)]
    )
    categories = MultiCheckboxField(
        _l("出展カテゴリ（部会）"), coerce=int, validators=[DataRequired(CHOOSE)]
    )
    booth_size_wish = RadioField(
        _l("希望する小間の大きさ"), choices=size_choices, default="standard",
        validators=[InputRequired(CHOOSE)],
    )  # fmt: skip
    participation = RadioField(
        _l("出展形式"), choices=participation_choices, default="in_person",
        validators=[InputRequired(CHOOSE)],
    )  # fmt: skip
    contact_name = StringField(
        _l("ご担当者名"), validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )  # fmt: skip
    contact_kana = KanaInput(
        _l("ご担当者名（フリガナ）"), validators=[DataRequired(REQUIRED), Length(max=120)]
    )
    contact_email = EmailInput(
        _l("ご担当者のメールアドレス"),
        validators=[DataRequired(REQUIRED), Email(_l("メールアドレスの形式が正しくありません。"))],
    )
    contact_phone = PhoneInput(
        _l("ご担当者の電話番号"), validators=[DataRequired(REQUIRED), Length(max=32)]
    )

    def fill_choices(self) -> None:
        self.categories.choices = [SelectChoice(u.id, localized(u)) for u in section_choices()]

    def fill_from_user(self, user) -> None:
        """The applicant is the usual contact person: start from their details."""
        self.contact_name.data = user.full_name
        self.contact_kana.data = user.full_kana
        self.contact_email.data = user.email
        self.contact_phone.data = user.phone

    def to_input(self) -> ApplicationInput:
        return ApplicationInput(
            products=self.products.data or "", category_ids=list(self.categories.data or []),
            booth_size_wish=self.booth_size_wish.data or "",
            participation=self.participation.data or "",
            contact_name=self.contact_name.data or "", contact_kana=self.contact_kana.data or "",
            contact_email=self.contact_email.data or "",
            contact_phone=self.contact_phone.data or "",
        )  # fmt: skip


class StaffApplicationForm(ApplicationForm):
    """Staff record an application for a company, named by its member number."""

    member_no = MemberNoInput(_l("会員番号"), validators=[DataRequired(REQUIRED)])


class DecisionForm(FlaskForm):
    note = TextAreaField(_l("出展者へのメモ（通知メールに記載）"), validators=[Length(max=2000)])


def status_choices() -> list[SelectChoice]:
    return [SelectChoice("applied", _l("審査中")), SelectChoice("accepted", _l("出展決定")),
            SelectChoice("waitlisted", _l("補欠（キャンセル待ち）")),
            SelectChoice("rejected", _l("見送り")), SelectChoice("withdrawn", _l("取り下げ"))]  # fmt: skip


def application_words() -> dict:
    """Labels of the stored codes, for pages: `application_words().status.accepted`."""
    return {
        "status": {c.value: str(c.label) for c in status_choices()},
        "size": {c.value: str(c.label) for c in size_choices()},
        "participation": {c.value: str(c.label) for c in participation_choices()},
    }
