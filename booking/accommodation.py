"""Reasonable accommodation (合理的配慮): what a person asks for when registering for an event
or booking a consultation, the words staff read, and who may read them.

It is stored with the booking (`accommodations`: codes of KINDS, `accommodation_note`: the
person's own words) and shown to the person themselves and to the staff who serve them (the
door, the attendee list and its CSV, the advisor's desk) — never to other members, in no feed
and in no API answer about another person.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from booking.textnorm import nfkc

KINDS = {
    "wheelchair": _l("車いす・移動の配慮"),
    "hearing": _l("聴覚（手話通訳・筆談・字幕など）"),
    "language": _l("言語（やさしい日本語・英語など）"),
    "other": _l("その他"),
}
NOTE_MAX = 500


class _Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def add_fields(form_class) -> None:
    """The optional section of a registration or booking form (the same two fields everywhere)."""
    form_class.accommodations = _Checkboxes(
        _l("配慮が必要なこと（任意）"),
        choices=[SelectChoice(code, label) for code, label in KINDS.items()],
        validators=[Optional()],
    )
    form_class.accommodation_note = TextAreaField(
        _l("配慮の内容（任意）"),
        validators=[
            Optional(),
            Length(max=NOTE_MAX, message=_l("%(max)d文字以内で入力してください。")),
        ],
    )


def requested(form) -> tuple[list[str], str]:
    """(codes, note) from a form with `add_fields`; codes in KINDS order, the note trimmed."""
    chosen = set(form.accommodations.data or [])
    return [code for code in KINDS if code in chosen], nfkc(form.accommodation_note.data)[:NOTE_MAX]


def describe(codes: list[str] | None, note: str | None) -> str:
    """One line for staff: `車いす・移動の配慮、その他: 補助犬を同伴します`; empty if nothing asked."""
    words = [str(KINDS[c]) for c in codes or [] if c in KINDS]
    text = str(_l("、")).join(words)
    if note:
        text = f"{text}: {note}" if text else note
    return text
