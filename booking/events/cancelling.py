"""Whether a registration can still be cancelled by its holder, and whom to ask when not.

Views ask it through `policy`; it sits apart so that the registration service, which
enforces it, needs no import of `policy` (which asks the registration rules in turn).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from booking.events.models import Event, Registration
from booking.timefmt import as_utc


def cancel_deadline(event: Event) -> datetime:
    """Members cancel until `cancel_until` (default: the start); staff are exempt."""
    return as_utc(event.cancel_until or event.starts_at)


def organiser_contact(event: Event) -> str:
    """Whom to contact about the event: its organiser unit, with phone and e-mail if known."""
    unit = event.unit
    ways = [
        _("電話 %(phone)s", phone=unit.contact_phone) if unit.contact_phone else "",
        _("メール %(email)s", email=unit.contact_email) if unit.contact_email else "",
    ]
    ways = [w for w in ways if w]
    if ways:
        return _("主催の%(unit)s（%(ways)s）", unit=unit.name, ways=_("、").join(ways))
    return _("主催の%(unit)s", unit=unit.name)


def cancel_refusal(reg: Registration, now: datetime) -> str | None:
    """Why the person may not cancel this registration now (naming whom to contact), or None."""
    event = reg.event
    if not reg.is_active:
        return _("このお申し込みは既にキャンセルされています。")
    if event.status == "cancelled":
        return _("このイベントは中止になりました。")
    if now >= as_utc(event.ends_at):
        return _(
            "終了したイベントのお申し込みはキャンセルできません。ご不明な点は%(contact)sにお問い合わせください。",
            contact=organiser_contact(event),
        )
    if now >= cancel_deadline(event):
        return _(
            "キャンセルの受付期限を過ぎています。%(contact)sにご連絡ください。",
            contact=organiser_contact(event),
        )
    return None
