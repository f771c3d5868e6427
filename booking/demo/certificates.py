"""The certificates part of `demo load`: the past factory tour offers certificates of
attendance and has a published handout, so the demo member (who came) finds both on My Page.
Idempotent: the offer by event, the handout by its title."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from sqlalchemy import select

from booking.accounts.models import User
from booking.events.certificates.issuing import set_offered
from booking.events.certificates.materials import add_material, set_published
from booking.events.certificates.models import Material
from booking.events.certificates.pdf import japanese_font
from booking.events.models import Event
from booking.extensions import db

PAST_TOUR = "ものづくり企業 工場見学会"
HANDOUT = "見学のしおり（工程の説明と安全上の注意）"


def _handout() -> bytes:
    """A one-page PDF handout, drawn here so the demo ships no binary file."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = BytesIO()
    canvas = Canvas(out, pagesize=A4)
    font = japanese_font()
    canvas.setFont(font, 18)
    canvas.drawString(60, 780, "ものづくり企業 工場見学会 見学のしおり")
    canvas.setFont(font, 11)
    lines = [
        "1. 受付・安全説明（13:00）: ヘルメットと保護眼鏡を着用します。",
        "2. 加工工程の見学（13:20）: NC旋盤・マシニングセンタによる精密部品の加工。",
        "3. 検査工程の見学（14:10）: 三次元測定機による品質保証の取り組み。",
        "4. 意見交換（15:00）: 人材育成と設備投資についての質疑応答。",
        "本資料は参加者限定です。社外への転載はご遠慮ください。",
    ]
    for i, line in enumerate(lines):
        canvas.drawString(60, 740 - i * 24, line)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def load_certificates(now: datetime) -> int:
    """Offer certificates for the past tour and publish its handout; returns 1 when done."""
    event = db.session.scalar(select(Event).where(Event.title == PAST_TOUR))
    staff = db.session.scalar(select(User).where(User.role.in_(("staff", "admin"))).limit(1))
    if event is None or staff is None:
        return 0
    set_offered(event, True, staff, now)
    exists = db.session.scalar(
        select(Material.id).where(Material.event_id == event.id, Material.title == HANDOUT)
    )
    if exists is None:
        material = add_material(event, HANDOUT, "見学のしおり.pdf", _handout(), staff, now)
        set_published(material, True, now)
    return 1
