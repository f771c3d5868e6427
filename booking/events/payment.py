"""Paying for an event: which frames cost money and what the person is told about paying."""

from __future__ import annotations

from flask_babel import gettext as _

from booking.events.models import Event, Frame
from booking.localnames import is_free


def is_priced(frame: Frame) -> bool:
    """The frame charges a fee (its price label is not empty or 無料)."""
    return not is_free(frame.price_label)


def payment_note(event: Event, frame: Frame | None = None) -> str | None:
    """How and when to pay, for a priced event (or frame); None when nothing is to be paid.

    The event's own note when staff wrote one; otherwise a sentence saying the organiser
    will tell, so a priced event never leaves the person guessing.
    """
    frames = [frame] if frame is not None else event.frames
    if not any(is_priced(f) for f in frames):
        return None
    if event.payment_note:
        return event.payment_note
    return _("参加費のお支払い方法と期限は、お申し込みの確定後に主催者からメールでご案内します。")
