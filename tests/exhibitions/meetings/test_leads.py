"""Leads: shared only with consent (booking, booth page, pass scan), withdrawable, exported."""

import csv
import io

import pytest

from booking.accounts.models import Company
from booking.errors import Invalid, NotFound
from booking.exhibitions.meetings.leads import consent_by_scan, leads_of, record_consent
from booking.exhibitions.models import Lead
from booking.extensions import db
from booking.timefmt import now_utc
from tests.exhibitions.meeting_helpers import at, book, register, signed_in, visitor


def csv_rows(response) -> list[list[str]]:
    data = response.data
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_nothing_is_shared_without_consent(app, make_fair, make_exhibitor, make_user):
    fair = make_fair()
    exhibitor, company_user = make_exhibitor(fair)
    guest = visitor(make_user, fair)
    book(guest, exhibitor, at(fair, 0, 13))  # the checkbox left unticked
    client = signed_in(app, company_user)
    assert guest.email not in client.get(f"/exhibitor/{exhibitor.id}/leads").get_data(as_text=True)
    rows = csv_rows(client.get(f"/exhibitor/{exhibitor.id}/leads.csv"))
    assert rows == [
        ["氏名", "フリガナ", "会社名", "メールアドレス", "電話番号", "同意の方法", "同意日時"]
    ]


def test_consent_at_booking_makes_a_lead_in_the_csv(app, make_fair, make_exhibitor, make_user):
    fair = make_fair()
    exhibitor, company_user = make_exhibitor(fair)
    guest = visitor(make_user, fair, family_name="高橋", given_name="一郎",
                    family_kana="タカハシ", given_kana="イチロウ", phone="090-1111-2222")  # fmt: skip
    client = signed_in(app, guest)
    client.post(f"/meetings/exhibitors/{exhibitor.id}",
                data={"start": at(fair, 0, 13).isoformat(), "mode": "booth", "share": "y"})  # fmt: skip
    [lead] = db.session.query(Lead).all()
    assert lead.source == "meeting"
    response = signed_in(app, company_user).get(f"/exhibitor/{exhibitor.id}/leads.csv")
    assert response.mimetype == "text/csv"
    [_header, row] = csv_rows(response)
    assert row[:6] == ["高橋 一郎", "タカハシ イチロウ", guest.company.name, guest.email,
                       "090-1111-2222", "商談予約時"]  # fmt: skip
    from booking.timefmt import to_local

    assert row[6] == to_local(lead.consented_at).strftime("%Y-%m-%d %H:%M")


def test_the_booth_page_records_consent_and_withdrawal(app, make_fair, make_exhibitor, make_user):
    fair = make_fair()
    exhibitor, company_user = make_exhibitor(fair)
    guest = make_user("member")
    client = signed_in(app, guest)
    page = client.get(f"/meetings/share/{exhibitor.id}").get_data(as_text=True)
    assert "連絡先を共有する" in page and guest.email in page
    assert db.session.query(Lead).count() == 0  # a GET shares nothing
    assert (
        client.post(f"/meetings/share/{exhibitor.id}", data={"action": "share"}).status_code == 302
    )
    assert [lead.visitor_id for lead in leads_of(exhibitor)] == [guest.id]
    assert leads_of(exhibitor)[0].source == "booth"
    client.post(f"/meetings/share/{exhibitor.id}", data={"action": "withdraw"})
    assert leads_of(exhibitor) == []
    seller = signed_in(app, company_user)
    assert len(csv_rows(seller.get(f"/exhibitor/{exhibitor.id}/leads.csv"))) == 1
    assert guest.email not in seller.get(f"/exhibitor/{exhibitor.id}/leads").get_data(as_text=True)
    # Agreeing again renews the consent.
    client.post(f"/meetings/share/{exhibitor.id}", data={"action": "share"})
    assert len(leads_of(exhibitor)) == 1 and db.session.query(Lead).count() == 1


def test_the_booth_page_needs_a_sign_in(app, make_fair, make_exhibitor):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair)
    response = app.test_client().post(f"/meetings/share/{exhibitor.id}", data={"action": "share"})
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert db.session.query(Lead).count() == 0


def test_the_booth_qr_code_points_to_the_share_page(app, make_fair, make_exhibitor):
    fair = make_fair()
    exhibitor, company_user = make_exhibitor(fair)
    page = signed_in(app, company_user).get(f"/exhibitor/{exhibitor.id}/booth-qr")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in html
    assert f"http://tsunagu.test/meetings/share/{exhibitor.id}" in html


def test_a_pass_scan_needs_the_visitors_agreement(app, make_fair, make_exhibitor, make_user):
    fair = make_fair()
    exhibitor, company_user = make_exhibitor(fair)
    guest = make_user("member")
    reg = register(fair, guest)
    client = signed_in(app, company_user)
    response = client.post(f"/exhibitor/{exhibitor.id}/scan", data={"token": reg.pass_token})
    assert response.status_code == 422
    assert "チェックを入れてください" in response.get_data(as_text=True)
    assert db.session.query(Lead).count() == 0
    response = client.post(f"/exhibitor/{exhibitor.id}/scan",
                           data={"token": reg.pass_token, "agreed": "y"})  # fmt: skip
    assert response.status_code == 302
    [lead] = leads_of(exhibitor)
    assert (lead.visitor_id, lead.source) == (guest.id, "scan")


def test_a_pass_of_another_event_or_cancelled_is_refused(app, make_fair, make_exhibitor, make_user):
    fair, other_fair = make_fair(), make_fair()
    exhibitor, company_user = make_exhibitor(fair)
    elsewhere = register(other_fair, make_user("member"))
    with pytest.raises(NotFound):
        consent_by_scan(exhibitor, elsewhere.pass_token, True, now_utc())
    with pytest.raises(Invalid):
        consent_by_scan(exhibitor, elsewhere.pass_token, False, now_utc())
    client = signed_in(app, company_user)
    response = client.post(f"/exhibitor/{exhibitor.id}/scan",
                           data={"token": "no-such-pass", "agreed": "y"})  # fmt: skip
    assert response.status_code == 422
    assert "この展示会の来場証ではありません" in response.get_data(as_text=True)
    assert db.session.query(Lead).count() == 0


def test_csv_cells_cannot_run_as_formulas(app, make_fair, make_exhibitor, make_user):
    fair = make_fair()
    exhibitor, company_user = make_exhibitor(fair)
    sly = make_user("member", family_name='=HYPERLINK("http://x")', given_name="")
    record_consent(exhibitor, sly, "booth", now_utc())
    db.session.commit()
    [_h, row] = csv_rows(signed_in(app, company_user).get(f"/exhibitor/{exhibitor.id}/leads.csv"))
    assert row[0].startswith("'=")


def test_every_typed_column_of_the_lead_csv_is_neutralised(
    app, make_fair, make_exhibitor, make_user
):
    fair = make_fair()
    exhibitor, company_user = make_exhibitor(fair)
    company = Company(name="@SUM(1+1)", member_no="88001")
    sly = make_user("member", company=company, family_name="-2+3", given_name="",
                    family_kana="ヤマダ", phone="+81-3-0000-0000")  # fmt: skip
    record_consent(exhibitor, sly, "booth", now_utc())
    db.session.commit()
    response = signed_in(app, company_user).get(f"/exhibitor/{exhibitor.id}/leads.csv")
    assert response.headers["Cache-Control"] == "no-store"
    [_h, row] = csv_rows(response)
    assert row[0].startswith("'-2+3") and row[2] == "'@SUM(1+1)" and row[4] == "'+81-3-0000-0000"


def test_an_english_exhibitor_gets_english_lead_csv_headers(
    app, make_fair, make_exhibitor, make_user
):
    fair = make_fair()
    exhibitor, company_user = make_exhibitor(fair)
    company_user.locale = "en"
    db.session.commit()
    [header] = csv_rows(signed_in(app, company_user).get(f"/exhibitor/{exhibitor.id}/leads.csv"))
    assert header[0] == "Name" and "Email" in " ".join(header)
    assert not any("\u3040" <= ch <= "\u30ff" for ch in "".join(header))


def test_another_exhibitors_leads_are_404(app, make_fair, make_exhibitor, make_user):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair)
    _, other_company = make_exhibitor(fair)
    record_consent(exhibitor, make_user("member"), "booth", now_utc())
    db.session.commit()
    for client in (signed_in(app, other_company), signed_in(app, make_user("member"))):
        assert client.get(f"/exhibitor/{exhibitor.id}/leads").status_code == 404
        assert client.get(f"/exhibitor/{exhibitor.id}/leads.csv").status_code == 404
        assert client.post(f"/exhibitor/{exhibitor.id}/scan", data={}).status_code == 404
        assert client.get(f"/exhibitor/{exhibitor.id}/booth-qr").status_code == 404


def test_withdrawing_from_my_page(app, make_fair, make_exhibitor, make_user):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair, name="株式会社ひばり")
    guest = make_user("member")
    record_consent(exhibitor, guest, "booth", now_utc())
    db.session.commit()
    client = signed_in(app, guest)
    html = client.get("/mypage/").get_data(as_text=True)
    assert "株式会社ひばり" in html and f"/meetings/shares/{exhibitor.id}/withdraw" in html
    assert client.post(f"/meetings/shares/{exhibitor.id}/withdraw").status_code == 302
    assert leads_of(exhibitor) == []
    assert client.post(f"/meetings/shares/{exhibitor.id}/withdraw").status_code == 404
