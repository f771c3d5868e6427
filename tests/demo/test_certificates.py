"""The demo shows certificates and materials: the demo member came to the past factory tour,
which offers certificates and has a published handout."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select

from booking.demo import DEMO_PASSWORD, load
from booking.demo.certificates import HANDOUT
from booking.events.certificates.models import Material
from booking.extensions import db
from booking.timefmt import now_utc


def test_the_demo_member_downloads_the_tour_certificate_and_handout(app, client, tmp_path):
    app.config["MATERIALS_DIR"] = str(tmp_path)
    load(now_utc())
    load(now_utc())  # idempotent: still one handout
    db.session.commit()
    assert len(db.session.scalars(select(Material)).all()) == 1
    client.post("/account/login", data={"email": "member@demo.tsunagu.jp",
                                        "password": DEMO_PASSWORD})  # fmt: skip
    page = client.get("/mypage/")
    assert "受講証明書・資料" in page.text
    assert HANDOUT in page.text
    [cert_link] = [
        p.split('"')[0]
        for p in page.text.split('href="')[1:]
        if p.startswith("/mypage/certificates/")
    ]
    pdf = client.get(cert_link)
    assert pdf.status_code == 200
    text = PdfReader(BytesIO(pdf.data)).pages[0].extract_text()
    assert "山田 太郎" in text and "工場見学会" in text
    [material_link] = [
        p.split('"')[0] for p in page.text.split('href="')[1:] if "/materials/" in p.split('"')[0]
    ]
    with client.get(material_link) as handout:
        assert handout.status_code == 200 and handout.data.startswith(b"%PDF")
