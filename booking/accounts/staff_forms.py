"""Forms of the staff account pages: role and unit, merge target, one-button actions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from booking.accounts.models import ROLES
from booking.org.models import Unit

REQUIRED = _l("選んでください。")

ROLE_LABELS = {
    "member": _l("会員"),
    "guest": _l("ゲスト（非会員）"),
    "staff": _l("職員"),
    "advisor": _l("相談員"),
    "admin": _l("管理者"),
}
UNIT_KIND_LABELS = {
    "hq": _l("本部"),
    "branch": _l("支部"),
    "section": _l("部会"),
    "committee": _l("委員会"),
    "group": _l("その他の会"),
}


class ActionForm(FlaskForm):
    """A button that changes one thing (deactivate, reactivate, send the mail again)."""


class RoleUnitForm(FlaskForm):
    role = SelectField(_l("権限"), validators=[DataRequired(REQUIRED)],
                       choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES])  # fmt: skip
    unit = SelectField(_l("所属（本部・支部など）"))

    def fill(self, units: list[Unit]):
        self.unit.choices = [SelectChoice("", _l("所属なし"))] + [
            SelectChoice(str(u.id), u.name, optgroup=str(UNIT_KIND_LABELS.get(u.kind, u.kind)))
            for u in units
        ]
        return self


class MergeForm(FlaskForm):
    into = HiddenField(validators=[DataRequired(REQUIRED)])
