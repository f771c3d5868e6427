"""Who may have a certificate of attendance, and who may download an event's materials.

Attendance itself is the events policy's one rule (`policy.attended`: checked in at the
door, or in an online frame); this module only adds what a certificate needs on top of it.
"""

from __future__ import annotations

from datetime import datetime

from booking.events.certificates.models import CertificateOffer
from booking.events.models import Event, Registration
from booking.events.policy import attended
from booking.extensions import db
from booking.timefmt import as_utc


def offers_certificates(event: Event) -> bool:
    """Staff marked the event as offering certificates of attendance."""
    return db.session.get(CertificateOffer, event.id) is not None


def may_have_certificate(reg: Registration | None, now: datetime) -> bool:
    """The holder came to an event that offers certificates and was held and has ended.

    The end matters because an online frame counts as attendance from the start (it has no
    door): a certificate before the event would certify nothing.
    """
    if reg is None or not attended(reg):
        return False
    event = reg.event
    return (
        event.status == "published" and as_utc(event.ends_at) <= now and offers_certificates(event)
    )


def may_download_materials(reg: Registration | None) -> bool:
    """A confirmed registration of an event still on (or held): its published materials are
    the holder's, before the event and after it, whether they came or not."""
    return reg is not None and reg.status == "confirmed" and reg.event.status != "cancelled"
