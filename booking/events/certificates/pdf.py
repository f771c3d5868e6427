"""The certificate of attendance as an A4 PDF (ReportLab).

Japanese is set in ReportLab's built-in CID font HeiseiKakuGo-W5: PDF readers carry it, so
no font file ships with the product. The QR code of the verification URL is drawn as
vector squares from segno's matrix (sharp at any zoom, no image library involved).
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

import segno
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from booking.events.certificates.issuing import Printed

FONT = "HeiseiKakuGo-W5"
NAVY = (0.08, 0.2, 0.4)


def japanese_font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _style(size: float, leading: float | None = None, align: int = 0) -> ParagraphStyle:
    return ParagraphStyle(
        f"s{size}", fontName=japanese_font(), fontSize=size, leading=leading or size * 1.5,
        alignment=align, wordWrap="CJK",
    )  # fmt: skip


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code with its quiet zone, `size` points square, lower-left corner at (x, y)."""
    qr = segno.make(url, error="m")
    rows = list(qr.matrix)
    border = 4
    cell = size / (len(rows) + 2 * border)
    canvas.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(x + (c + border) * cell, y + size - (r + border + 1) * cell,
                            cell, cell, stroke=0, fill=1)  # fmt: skip


def render_pdf(p: Printed, locale: str) -> bytes:
    """The certificate, one A4 page, in `locale` (the holder's language)."""
    out = BytesIO()
    width, height = A4
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{p.title} {p.number}")
    canvas.setAuthor(p.organiser)
    canvas.setSubject(p.event)
    with force_locale(locale):
        labels = {
            "number": _("証明書番号"), "name": _("氏名"), "company": _("会社名"),
            "event": _("講座名"), "dates": _("開催日時"), "hours": _("受講時間"),
            "issued": _("発行日"), "verify": _("この証明書の真正性は次のURLで確認できます"),
        }  # fmt: skip
    font = japanese_font()
    # A double frame, like the printed certificates people are used to.
    canvas.setStrokeColorRGB(*NAVY)
    canvas.setLineWidth(2.5)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(font, 9.5)
    canvas.drawRightString(width - 25 * mm, height - 28 * mm, f"{labels['number']} {p.number}")
    canvas.setFillColorRGB(*NAVY)
    canvas.setFont(font, 30)
    canvas.drawCentredString(width / 2, height - 58 * mm, p.title)

    name = p.holder + (f"（{p.holder_kana}）" if p.holder_kana else "")
    rows = [
        (labels["name"], name),
        (labels["company"], p.company or "—"),
        (labels["event"], p.event),
        (labels["dates"], "\n".join(p.dates)),
        (labels["hours"], p.hours),
    ]
    label_style, value_style = _style(10.5), _style(13)
    table = Table(
        [[_para(label, label_style), _para(value, value_style)] for label, value in rows],
        colWidths=[36 * mm, width - 50 * mm - 36 * mm - 10 * mm],
    )
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, (0.7, 0.7, 0.75)),
        ("TOPPADDING", (0, 0), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
    ]))  # fmt: skip
    table_height = table.wrapOn(canvas, width - 50 * mm, height)[1]
    top = height - 80 * mm
    table.drawOn(canvas, 27 * mm, top - table_height)

    statement = _para(p.statement, _style(13, align=TA_CENTER))
    h = statement.wrapOn(canvas, width - 60 * mm, 40 * mm)[1]
    statement.drawOn(canvas, 30 * mm, top - table_height - 18 * mm - h)

    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(font, 11)
    canvas.drawRightString(width - 27 * mm, 95 * mm, f"{labels['issued']} {p.issued}")
    canvas.setFont(font, 15)
    canvas.drawRightString(width - 27 * mm, 82 * mm, p.organiser)

    qr_size = 32 * mm
    _draw_qr(canvas, p.url, 25 * mm, 24 * mm, qr_size)
    note = _para(f"{labels['verify']}\n{p.url}", _style(8.5, 12))
    h = note.wrapOn(canvas, width - 70 * mm - qr_size, 30 * mm)[1]
    note.drawOn(canvas, 25 * mm + qr_size + 6 * mm, 24 * mm + qr_size / 2 - h / 2)
    canvas.showPage()
    canvas.save()
    return out.getvalue()
