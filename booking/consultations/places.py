"""Where a consultation not yet booked will happen, in words for the booking pages."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from booking.consultations.models import Channel
from booking.extensions import db
from booking.localnames import bracketed, localized, ward_name
from booking.org.services import unit_by_key


def booking_place(channel_slug: str | None, branch_slug: str | None, member) -> dict:
    """{"channel": the channel's name, "place": the branch counter, or how an online or phone
    session reaches the member} for the intake and confirm pages."""
    channel = db.session.scalar(select(Channel).where(Channel.slug == (channel_slug or "")))
    name = localized(channel) if channel else ""
    branch = unit_by_key(f"branch:{branch_slug}") if branch_slug and branch_slug != "any" else None
    if channel_slug == "branch":
        if branch is None:
            return {"channel": name, "place": _("ご希望の支部の相談窓口")}
        place = _("%(branch)s 相談窓口", branch=localized(branch))
        if branch.ward:
            place += str(bracketed(ward_name(branch)))
        if branch.contact_phone:
            place += " " + _("電話 %(phone)s", phone=branch.contact_phone)
        return {"channel": name, "place": place}
    if channel_slug == "online":
        return {"channel": name,
                "place": _("ビデオ会議。参加用URLはご予約後のメールとマイページでお知らせします。")}  # fmt: skip
    if channel_slug == "phone":
        phone = getattr(member, "phone", "") or ""
        text = _("お電話（ご登録の電話番号 %(phone)s）", phone=phone) if phone else _("お電話")
        return {"channel": name, "place": text}
    return {"channel": name, "place": ""}
