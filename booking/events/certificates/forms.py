"""Staff forms of an event's certificates and materials."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField
from wtforms.validators import Length

from booking.textnorm import nfkc


class OfferForm(FlaskForm):
    offered = BooleanField(_l("このイベントで受講証明書を発行する"))


class MaterialForm(FlaskForm):
    # Kind and size are decided from the file itself (materials.add_material), not here.
    title = StringField(
        _l("資料名"), filters=[nfkc], validators=[Length(max=200)],
        description=_l("空欄の場合はファイル名を表示します。"),
    )  # fmt: skip
    file = FileField(
        _l("ファイル"),
        render_kw={"accept": ".pdf,.docx,.xlsx,.pptx,.zip,.png,.jpg,.jpeg"},
    )


class MaterialActionForm(FlaskForm):
    """Publish, hide or delete one material (a button; the CSRF token is all it carries)."""
