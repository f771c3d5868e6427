"""Forms of the exhibitor's page editor: the page text and links, and the logo upload."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from booking.accounts.forms import CheckboxesField
from booking.errors import Invalid
from booking.exhibitions.pages.details import PageDetails, web_link
from booking.forms import KanaInput
from booking.localnames import localized
from booking.org.services import units_of_kind
from booking.textnorm import nfkc


def _at_most(n: int) -> Length:
    return Length(max=n, message=_l("%(n)s文字以内で入力してください。", n=n))


def _link(*schemes: str):
    """The service's link rule as a field check, so every mistake shows at once."""

    def check(_form, field) -> None:
        try:
            web_link(field.data or "", schemes=schemes, field_name=field.name)
        except Invalid as exc:
            raise ValidationError(str(exc.message)) from None

    return check


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class PageForm(FlaskForm):
    display_name = StringField(
        _l("出展者名"), filters=[_strip],
        validators=[DataRequired(_l("出展者名を入力してください。")), _at_most(200)],
    )  # fmt: skip
    display_kana = KanaInput(_l("フリガナ"), validators=[Optional(), _at_most(200)])
    pr_text = TextAreaField(_l("PR文"), validators=[_at_most(2000)])
    products = TextAreaField(_l("出展製品・サービス"), validators=[_at_most(1000)])
    categories = CheckboxesField(_l("分野（部会）"), coerce=str, validate_choice=False)
    # (the service refuses unknown sections, with a message in the user's language)
    website = StringField(
        _l("ウェブサイト"), filters=[nfkc], validators=[_at_most(300), _link("http", "https")],
        render_kw={"type": "url", "inputmode": "url", "placeholder": "https://"},
    )  # fmt: skip
    online_meetings = BooleanField(_l("オンライン商談を受け付ける"))
    online_meeting_url = StringField(
        _l("オンライン商談のURL"), filters=[nfkc], validators=[_at_most(500), _link("https")],
        render_kw={"type": "url", "inputmode": "url", "placeholder": "https://"},
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories.choices = [
            SelectChoice(u.slug, localized(u)) for u in units_of_kind("section")
        ]

    def details(self) -> PageDetails:
        return PageDetails(
            display_name=self.display_name.data or "", display_kana=self.display_kana.data or "",
            pr_text=self.pr_text.data or "", products=self.products.data or "",
            categories=list(self.categories.data or []), website=self.website.data or "",
            online_meetings=bool(self.online_meetings.data),
            online_meeting_url=self.online_meeting_url.data or "",
        )  # fmt: skip


class LogoForm(FlaskForm):
    # Type and size are decided by decoding the file (logos.clean_logo), not by its name.
    logo = FileField(
        _l("ロゴ画像"), render_kw={"accept": "image/png,image/jpeg,image/webp,image/gif"}
    )


class RemoveLogoForm(FlaskForm):
    pass
