"""My Page's panel of certificates and materials: the person's events that offer either."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_login import current_user
from sqlalchemy import exists, or_, select

from booking.events.certificates.entitlement import may_download_materials, may_have_certificate
from booking.events.certificates.materials import materials_of
from booking.events.certificates.models import CertificateOffer, Material
from booking.events.models import Event, Registration
from booking.extensions import db
from booking.timefmt import now_utc


@dataclass
class Entry:
    reg: Registration
    certificate: bool = False
    materials: list[Material] = field(default_factory=list)


def certificates_panel(user, now: datetime) -> list[Entry]:
    """The person's confirmed registrations with a certificate to download or published
    materials, newest event first (empty for anyone else, and for nobody signed in)."""
    if not getattr(user, "is_authenticated", False):
        return []
    offered = exists().where(CertificateOffer.event_id == Registration.event_id)
    published = exists().where(
        Material.event_id == Registration.event_id, Material.published_at.is_not(None)
    )
    regs = db.session.scalars(
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.user_id == user.id, Registration.status == "confirmed",
               or_(offered, published))
        .order_by(Event.starts_at.desc(), Registration.id)
    )  # fmt: skip
    entries = []
    for reg in regs:
        entry = Entry(reg, certificate=may_have_certificate(reg, now))
        if may_download_materials(reg):
            entry.materials = materials_of(reg.event, published_only=True)
        if entry.certificate or entry.materials:
            entries.append(entry)
    return entries


def my_certificates_panel() -> list[Entry]:
    """The template global behind My Page's panel: the signed-in person's entries, now."""
    return certificates_panel(current_user, now_utc())
