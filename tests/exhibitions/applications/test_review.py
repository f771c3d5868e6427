"""Staff review of applications: decisions with notices, the acceptance limit, the list,
and applications recorded by staff."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from booking.errors import Conflict, Full
from booking.exhibitions.applications.review import review_application
from booking.exhibitions.applications.services import withdraw_application
from booking.exhibitions.models import Booth, Exhibitor
from booking.extensions import db
from booking.notifications.hooks import still_holds
from booking.notifications.models import OutboxMessage
from booking.timefmt import now_utc
from tests.conftest import login
from tests.exhibitions.application_helpers import form_data, section


def _notices(exhibitor) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.about == f"exhibitor:{exhibitor.id}")
            .order_by(OutboxMessage.id)
        )
    )


def test_accepting_plans_a_notice_to_the_contact_person(
    make_fair, make_exhibitor, staff, sent_mail
):
    fair = make_fair()
    exhibitor, _user = make_exhibitor(fair, status="applied")
    exhibitor.contact_email = "tanto@example.jp"
    review_application(exhibitor, "accept", staff, "搬入は前日15時からです。", now_utc())
    db.session.commit()
    (notice,) = _notices(exhibitor)
    assert notice.recipient == "tanto@example.jp" and notice.template == "exhibitor_decision"
    assert notice.about_version == exhibitor.sequence == 1
    assert exhibitor.status == "accepted" and exhibitor.reviewed_by_id == staff.id
    (mail,) = sent_mail()
    assert mail["Subject"] == "【東京商工会議所】出展決定のお知らせ：中小企業マーケットTOKYO"
    assert mail["To"] == "tanto@example.jp"
    body = mail.get_body(("plain",)).get_content()
    assert "搬入は前日15時からです。" in body and "出展が決定しました" in body


@pytest.mark.parametrize(("decision", "status", "words"), [
    ("waitlist", "waitlisted", "補欠（キャンセル待ち）"),
    ("reject", "rejected", "見送らせていただく"),
])  # fmt: skip
def test_waitlist_and_reject_send_their_own_notice(
    make_fair, make_exhibitor, staff, sent_mail, decision, status, words
):
    fair = make_fair()
    exhibitor, _user = make_exhibitor(fair, status="applied")
    review_application(exhibitor, decision, staff, "", now_utc())
    db.session.commit()
    assert exhibitor.status == status
    (mail,) = sent_mail()
    assert words in mail.get_body(("plain",)).get_content()


def test_a_notice_made_stale_by_a_later_decision_is_dropped(
    make_fair, make_exhibitor, staff, sent_mail
):
    fair = make_fair()
    exhibitor, _user = make_exhibitor(fair, status="applied")
    review_application(exhibitor, "accept", staff, "", now_utc())
    review_application(exhibitor, "reject", staff, "", now_utc())
    db.session.commit()
    assert not still_holds(f"exhibitor:{exhibitor.id}", 1, now_utc())
    mails = sent_mail()
    assert len(mails) == 1 and "見送らせていただく" in mails[0].get_body(("plain",)).get_content()
    assert [m.status for m in _notices(exhibitor)] == ["cancelled", "sent"]


def test_withdrawal_drops_a_pending_acceptance_notice(make_fair, make_exhibitor, staff, sent_mail):
    fair = make_fair()
    exhibitor, user = make_exhibitor(fair, status="applied")
    review_application(exhibitor, "accept", staff, "", now_utc())
    withdraw_application(exhibitor, user, now_utc())
    db.session.commit()
    assert sent_mail() == []


def test_accepting_beyond_the_limit_is_refused(make_fair, make_exhibitor, staff):
    fair = make_fair(exhibitor_limit=1)
    first, _ = make_exhibitor(fair, status="applied")
    second, _ = make_exhibitor(fair, status="applied")
    review_application(first, "accept", staff, "", now_utc())
    db.session.commit()
    with pytest.raises(Full) as refused:
        review_application(second, "accept", staff, "", now_utc())
    assert refused.value.code == "limit_reached" and "1社" in refused.value.message
    db.session.rollback()
    # Waitlisting is still possible, and so is accepting once a place is free.
    review_application(second, "waitlist", staff, "", now_utc())
    review_application(first, "reject", staff, "", now_utc())
    review_application(second, "accept", staff, "", now_utc())
    db.session.commit()
    assert (first.status, second.status) == ("rejected", "accepted")


def test_a_withdrawn_or_unchanged_application_cannot_be_decided(make_fair, make_exhibitor, staff):
    fair = make_fair()
    withdrawn, _ = make_exhibitor(fair, status="withdrawn")
    accepted, _ = make_exhibitor(fair, status="accepted")
    with pytest.raises(Conflict) as gone:
        review_application(withdrawn, "accept", staff, "", now_utc())
    assert gone.value.code == "withdrawn"
    with pytest.raises(Conflict) as same:
        review_application(accepted, "accept", staff, "", now_utc())
    assert same.value.code == "unchanged"


def test_leaving_accepted_frees_the_booths(make_fair, make_exhibitor, staff):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair, status="accepted")
    booth = db.session.query(Booth).filter_by(exhibition_id=fair.id, code="B-02").one()
    booth.exhibitor_id = exhibitor.id
    db.session.commit()
    review_application(exhibitor, "waitlist", staff, "", now_utc())
    db.session.commit()
    db.session.refresh(booth)
    assert booth.exhibitor_id is None


def test_the_review_page_counts_and_filters(make_fair, make_exhibitor, staff_client):
    fair = make_fair()
    make_exhibitor(fair, status="applied", name="株式会社審査待ち")
    make_exhibitor(fair, status="accepted", name="株式会社決定済み", category="trade")
    make_exhibitor(fair, status="rejected", name="株式会社見送り")
    page = staff_client.get(f"/staff/exhibitions/{fair.id}/applications/")
    assert page.status_code == 200
    assert all(
        name in page.text for name in ("株式会社審査待ち", "株式会社決定済み", "株式会社見送り")
    )
    assert 'すべて <span class="num">3</span>' in page.text
    assert '審査中 <span class="num">1</span>' in page.text
    applied = staff_client.get(f"/staff/exhibitions/{fair.id}/applications/?status=applied")
    assert "株式会社審査待ち" in applied.text and "株式会社決定済み" not in applied.text
    trade = staff_client.get(
        f"/staff/exhibitions/{fair.id}/applications/?category={section('trade').id}"
    )
    assert "株式会社決定済み" in trade.text and "株式会社審査待ち" not in trade.text


def test_staff_decide_on_the_page_with_a_note(make_fair, make_exhibitor, staff_client):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair, status="applied")
    url = f"/staff/exhibitions/{fair.id}/applications/{exhibitor.id}/decide"
    answer = staff_client.post(url, data={"decision": "accept", "note": "よろしくお願いします"})
    assert answer.status_code == 302
    db.session.refresh(exhibitor)
    assert exhibitor.status == "accepted" and exhibitor.review_note == "よろしくお願いします"
    page = staff_client.get(answer.headers["Location"])
    assert "の出展を承認しました" in page.text


def test_the_page_says_why_the_limit_refuses(make_fair, make_exhibitor, staff_client):
    fair = make_fair(exhibitor_limit=0)
    exhibitor, _ = make_exhibitor(fair, status="applied")
    url = f"/staff/exhibitions/{fair.id}/applications/{exhibitor.id}/decide"
    assert staff_client.post(url, data={"decision": "accept"}).status_code == 303
    page = staff_client.get(f"/staff/exhibitions/{fair.id}/applications/")
    assert "出展者数の上限（0社）に達しているため承認できません。" in page.text
    db.session.refresh(exhibitor)
    assert exhibitor.status == "applied"


def test_staff_record_an_application_for_a_company_outside_the_window(
    make_fair, make_user, staff_client
):
    fair = make_fair()  # no window set: members could not apply
    company_user = make_user("member")
    url = f"/staff/exhibitions/{fair.id}/applications/new"
    unknown = staff_client.post(url, data=form_data(member_no="00000"))
    assert unknown.status_code == 422 and "その会員番号の会社は見つかりません。" in unknown.text
    member_no = company_user.company.member_no
    assert staff_client.post(url, data=form_data(member_no=member_no)).status_code == 302
    recorded = db.session.query(Exhibitor).filter_by(exhibition_id=fair.id).one()
    assert recorded.company_id == company_user.company_id and recorded.status == "applied"
    again = staff_client.post(url, data=form_data(member_no=member_no))
    assert again.status_code == 409 and "すでに申し込まれています" in again.text


def test_members_cannot_review(make_fair, make_exhibitor, member_client):
    fair = make_fair()
    exhibitor, _ = make_exhibitor(fair, status="applied")
    assert member_client.get(f"/staff/exhibitions/{fair.id}/applications/").status_code == 404
    url = f"/staff/exhibitions/{fair.id}/applications/{exhibitor.id}/decide"
    assert member_client.post(url, data={"decision": "accept"}).status_code == 404
    db.session.refresh(exhibitor)
    assert exhibitor.status == "applied"


def test_staff_of_another_branch_do_not_see_the_exhibition(make_fair, client, make_user):
    fair = make_fair()  # organised by HQ
    login(client, make_user("staff", unit_key="branch:chiyoda"))
    assert client.get(f"/staff/exhibitions/{fair.id}/applications/").status_code == 404
    assert client.get(f"/staff/exhibitions/{fair.id}").status_code == 404


def test_another_exhibitions_application_is_404(make_fair, make_exhibitor, staff_client):
    fair, other = make_fair(), make_fair()
    exhibitor, _ = make_exhibitor(other, status="applied")
    url = f"/staff/exhibitions/{fair.id}/applications/{exhibitor.id}/decide"
    assert staff_client.post(url, data={"decision": "accept"}).status_code == 404
    assert db.session.get(Exhibitor, exhibitor.id).status == "applied"


def test_the_notice_speaks_the_applicants_language(make_fair, make_exhibitor, staff, sent_mail):
    fair = make_fair()
    exhibitor, user = make_exhibitor(fair, status="applied")
    user.locale = "en"
    review_application(exhibitor, "accept", staff, "", now_utc())
    db.session.commit()
    (mail,) = sent_mail()
    assert "Your exhibition application has been accepted" in mail["Subject"]
    assert "has been accepted" in mail.get_body(("plain",)).get_content()
