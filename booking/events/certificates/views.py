"""Certificates and materials for their holders (from My Page), and the public verification
page that anyone holding a certificate's URL or QR code can open."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, Response, render_template, send_file
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from booking.errors import NotFound
from booking.events.certificates.entitlement import may_download_materials, may_have_certificate
from booking.events.certificates.issuing import certificate_by_code, issue_certificate, printed
from booking.events.certificates.materials import file_of, material_of
from booking.events.certificates.pdf import render_pdf
from booking.events.models import Event, Registration
from booking.extensions import db
from booking.timefmt import now_utc

bp = Blueprint("certificates", __name__)


def _own_registration(reg_id: int) -> Registration:
    """The signed-in person's own registration (staff get no one else's certificate here)."""
    reg = db.session.get(Registration, reg_id)
    if reg is None or reg.user_id != current_user.id:
        raise NotFound(_l("お申し込みが見つかりません。"))
    return reg


@bp.get("/mypage/certificates/<int:reg_id>.pdf")
@login_required
def certificate_pdf(reg_id: int):
    """The holder's certificate as a PDF, in the holder's language; issued on first download."""
    reg = _own_registration(reg_id)
    now = now_utc()
    if not may_have_certificate(reg, now):
        raise NotFound(_l("受講証明書はありません。"))
    cert = issue_certificate(reg, now)
    locale = current_user.locale if current_user.locale in ("ja", "en") else "ja"
    body = render_pdf(printed(cert, locale, now), locale)
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="certificate-{cert.number}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/mypage/events/<int:event_id>/materials/<int:material_id>")
@login_required
def material_download(event_id: int, material_id: int):
    """A published material, for the people with a confirmed registration of its event."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound(_l("資料が見つかりません。"))
    material = material_of(event, material_id)
    reg = (
        db.session.query(Registration)
        .filter_by(event_id=event.id, active_user_id=current_user.id)
        .one_or_none()
    )
    path = file_of(material)
    if material.published_at is None or not may_download_materials(reg) or not path.is_file():
        raise NotFound(_l("資料が見つかりません。"))
    # Read whole (at most MATERIALS_MAX_MB): no file handle outlives the request.
    response = send_file(
        BytesIO(path.read_bytes()), mimetype=material.content_type, as_attachment=True,
        download_name=material.filename, max_age=0,
    )  # fmt: skip
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/certificates/<code>")
def verify(code: str):
    """Anyone: what the certificate prints, and whether it still stands (nothing else)."""
    cert = certificate_by_code(code)
    if cert is None:
        raise NotFound(
            _l("この確認用URLの受講証明書は見つかりませんでした。URLをもう一度お確かめください。")
        )
    shown = printed(cert, str(get_locale() or "ja"), now_utc())
    response = render_template("certificates/verify.html", p=shown)
    return response, 200, {"X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"}
