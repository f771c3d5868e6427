"""Offering and issuing certificates of attendance, and what a certificate prints.

A certificate is issued on its holder's first download and kept: the second download, or
two at once, give the same row, so the issue number never changes. The verification page
and the PDF both print `printed(...)`, so the page shows what the paper says and nothing else.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale, npgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from booking.accounts.names import english_name
from booking.errors import NotAllowed
from booking.events.certificates.entitlement import may_have_certificate
from booking.events.certificates.models import Certificate, CertificateOffer
from booking.events.models import Event, Registration
from booking.extensions import db
from booking.localnames import localized
from booking.timefmt import as_utc, format_day, format_when, to_local

CODE_BYTES = 16  # 22 URL-safe characters: 128 bits nobody can guess


def set_offered(event: Event, offered: bool, by, now: datetime) -> None:
    """Staff switch certificates of attendance on or off for the event (issued ones stay)."""
    offer = db.session.get(CertificateOffer, event.id)
    if offered and offer is None:
        db.session.add(CertificateOffer(event_id=event.id, offered_by_id=by.id, offered_at=now))
    elif not offered and offer is not None:
        db.session.delete(offer)
    db.session.flush()


def certificate_number(reg: Registration) -> str:
    """`2026-000042`: the event's year and the registration's number (one per registration)."""
    return f"{to_local(reg.event.starts_at).year}-{reg.id:06d}"


def issue_certificate(reg: Registration, now: datetime) -> Certificate:
    """The registration's certificate, issued now if it has none yet.

    :raises NotAllowed: the holder may not have one (see `entitlement.may_have_certificate`).
    """
    if not may_have_certificate(reg, now):
        raise NotAllowed(_l("この受講証明書は発行できません。"), code="no_certificate")
    existing = certificate_of(reg)
    if existing is not None:
        return existing
    user, company = reg.user, reg.company or reg.user.company
    try:
        # Two downloads at once: the unique registration lets one insert win; the other
        # finds the winner's row.
        with db.session.begin_nested():
            cert = Certificate(
                registration_id=reg.id, number=certificate_number(reg),
                code=secrets.token_urlsafe(CODE_BYTES), holder_name=user.full_name,
                holder_kana=user.full_kana,
                holder_name_en=english_name(user.family_name, user.given_name,
                                            user.family_kana, user.given_kana),
                company_name=company.name if company is not None else user.company_name,
                issued_at=now,
            )  # fmt: skip
            db.session.add(cert)
        return cert
    except IntegrityError:
        return certificate_of(reg)


def certificate_of(reg: Registration) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.registration_id == reg.id))


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate a verification URL names, or None (also for malformed codes)."""
    code = (code or "").strip()
    if not code or len(code) > 32:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def certificates_of_event(event: Event) -> list[Certificate]:
    """The event's issued certificates in issue order (the staff page lists them)."""
    return list(db.session.scalars(
        select(Certificate).join(Registration).where(Registration.event_id == event.id)
        .order_by(Certificate.number)
    ))  # fmt: skip


def verification_url(cert: Certificate) -> str:
    return f"{current_app.config['BASE_URL']}/certificates/{cert.code}"


@dataclass(frozen=True)
class Printed:
    """Everything a certificate prints, in one language: the PDF and the verification page
    show exactly these fields."""

    title: str
    holder: str
    holder_kana: str
    company: str
    event: str
    dates: list[str]
    hours: str
    organiser: str
    number: str
    issued: str
    statement: str
    url: str
    valid: bool


def _hours_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if rest == 0:
        return npgettext("certificate hours", "%(num)s時間", "%(num)s時間", hours)
    if hours == 0:
        return _("%(m)s分", m=rest)
    return _("%(h)s時間%(m)s分", h=hours, m=rest)


def _spans(event: Event) -> list[tuple[datetime, datetime]]:
    return [(s.starts_at, s.ends_at) for s in event.sessions] or [(event.starts_at, event.ends_at)]


def printed(cert: Certificate, locale: str, now: datetime) -> Printed:
    """The certificate's printed facts in `locale` (the holder's, for the PDF; the reader's,
    on the verification page). `valid` is False when its holder no longer counts as having
    attended (a check-in undone, the event withdrawn)."""
    reg = cert.registration
    event = reg.event
    spans = _spans(event)
    minutes = sum(int((as_utc(e) - as_utc(s)).total_seconds() // 60) for s, e in spans)
    english = locale.startswith("en")
    with force_locale(locale):
        org = current_app.config["ORGANISATION_NAME_EN" if english else "ORGANISATION_NAME"]
        unit = localized(event.unit, english=english)
        return Printed(
            title=_("受講証明書"),
            holder=(cert.holder_name_en or cert.holder_name) if english else cert.holder_name,
            holder_kana="" if english else cert.holder_kana,
            company=cert.company_name,
            event=event.title,
            dates=[format_when(s, e, locale=locale) for s, e in spans],
            hours=_hours_text(minutes),
            organiser=f"{org} {unit}",
            number=cert.number,
            issued=format_day(cert.issued_at, locale=locale),
            statement=_("上記の者は、本講座を受講したことを証明します。"),
            url=verification_url(cert),
            valid=may_have_certificate(reg, now),
        )  # fmt: skip
