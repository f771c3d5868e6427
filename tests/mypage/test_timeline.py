"""My Page: one timeline of every booking (events, consultations, 商談) in date order, each
with the actions its domain's policy allows now, and a history saying what happened.

The clock stands at Wed 3 June 2026 09:30 JST; bookings are made through the services.
"""

from __future__ import annotations

import re

from booking.consultations.records import save_record
from booking.events.passes import check_in
from booking.events.registrations import cancel_registration, register_for_frame
from booking.extensions import db
from booking.mypage.timeline import timeline
from booking.timefmt import now_utc
from tests.conftest import login
from tests.consultations.conftest import jst
from tests.exhibitions.meeting_helpers import at, register
from tests.exhibitions.meeting_helpers import book as book_meeting


def _register(user, event, frame=0):
    reg = register_for_frame(user, event.id, event.frames[frame].id, {}, now_utc())
    db.session.commit()
    return reg


def _section(html: str, heading_id: str) -> str:
    """The HTML of My Page's section headed by `heading_id`."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def _everything(member, make_event, make_advisor, book, make_fair, make_exhibitor):
    """A seminar (in a week), a consultation (Friday), the fair and a 商談 (in two weeks)."""
    seminar = make_event(title="DXセミナー", days=7)
    reg = _register(member, seminar)
    advisor = make_advisor(channels=("online", "branch"))
    consultation = book(member, jst(2026, 6, 5, 14), advisor=advisor, now=now_utc())
    fair = make_fair()
    fair_reg = register(fair, member)
    exhibitor, _ = make_exhibitor(fair, name="株式会社つばめ")
    meeting = book_meeting(member, exhibitor, at(fair, 0, 13))
    return reg, consultation, fair_reg, meeting


def test_the_timeline_lists_every_kind_of_booking_in_date_order(
    app, member, make_event, make_advisor, book, make_fair, make_exhibitor
):
    _everything(member, make_event, make_advisor, book, make_fair, make_exhibitor)
    with app.test_request_context():
        upcoming, history = timeline(member, now_utc())
    assert [i.kind for i in upcoming] == ["consultation", "event", "event", "meeting"]
    assert [i.title for i in upcoming] == ["経営相談", "DXセミナー", "中小企業マーケットTOKYO",
                                           "株式会社つばめ"]  # fmt: skip
    assert history == []

    client = app.test_client()
    login(client, member)
    html = _section(client.get("/mypage/").get_data(as_text=True), "upcoming-heading")
    positions = [
        html.index(t) for t in ("経営相談", "DXセミナー", "中小企業マーケット", "株式会社つばめ")
    ]
    assert positions == sorted(positions)
    assert html.count('class="mp-item ') == 4


def test_each_card_offers_the_actions_its_policy_allows_now(
    app, member, make_event, make_advisor, book, make_fair, make_exhibitor
):
    reg, consultation, fair_reg, meeting = _everything(
        member, make_event, make_advisor, book, make_fair, make_exhibitor
    )
    client = app.test_client()
    login(client, member)
    html = client.get("/mypage/").get_data(as_text=True)
    # The seminar: its pass and cancel; the online consultation: join, change, cancel;
    # the meeting: cancel.
    assert f"/mypage/passes/{reg.id}" in html and f"/mypage/registrations/{reg.id}/cancel" in html
    assert f"/consultations/{consultation.id}/reschedule" in html
    assert f"/consultations/{consultation.id}/cancel" in html
    assert consultation.advisor.video_url in html
    assert f"/meetings/{meeting.id}/cancel" in html
    # The fair (no online URL yet): its pass, no move online.
    assert f"/mypage/passes/{fair_reg.id}" in html
    assert f"/mypage/registrations/{fair_reg.id}/online" not in html


def test_past_the_change_cutoff_a_consultation_can_be_cancelled_but_not_moved(
    app, clock, member, make_advisor, book
):
    advisor = make_advisor()
    consultation = book(member, jst(2026, 6, 5, 14), advisor=advisor, now=now_utc())
    clock.move_to(jst(2026, 6, 5, 9))  # five hours before; the cut-off is 24 hours
    client = app.test_client()
    login(client, member)
    html = client.get("/mypage/").get_data(as_text=True)
    assert f"/consultations/{consultation.id}/cancel" in html
    assert f"/consultations/{consultation.id}/reschedule" not in html


def test_the_history_says_what_happened_and_offers_no_cancel(
    app, clock, member, make_event, make_advisor, book
):
    came = make_event(title="来場したセミナー", days=1)
    check_in(_register(member, came), now_utc())
    missed = make_event(title="欠席したセミナー", days=2)
    _register(member, missed)
    dropped = make_event(title="取り消したセミナー", days=3)
    cancel_registration(_register(member, dropped), now_utc())
    advisor = make_advisor()
    attended = book(member, jst(2026, 6, 5, 10), advisor=advisor, now=now_utc())
    no_show = book(member, jst(2026, 6, 5, 14), advisor=advisor, now=now_utc())
    db.session.commit()
    clock.move_to(jst(2026, 6, 8, 9))
    for c, attendance in ((attended, "attended"), (no_show, "no_show")):
        save_record(c, advisor.user, attendance=attendance, outcome="済", follow_up="", next_step="",
                    now=now_utc())  # fmt: skip
    db.session.commit()

    client = app.test_client()
    login(client, member)
    page = client.get("/mypage/").get_data(as_text=True)
    assert "予定されているお申し込み・ご予約はありません。" in page
    past = _section(page, "past-heading")
    found = re.findall(r'mp-status-(\w+)">.*?<h3 class="mp-title"><a [^>]*>([^<]+)</a>', past, re.S)
    statuses = {title: status for status, title in found}
    assert statuses.get("来場したセミナー") == "attended"
    assert statuses.get("欠席したセミナー") == "no_show"
    assert statuses.get("取り消したセミナー") == "cancelled"
    assert "参加済み" in past and "欠席" in past and "キャンセル済み" in past
    assert past.count("mp-consultation") == 2
    assert "/cancel" not in past and "/reschedule" not in past and "mp-actions" not in past


def test_the_pass_page_is_the_holders_alone_and_prints(app, member, make_user, make_event):
    event = make_event(title="DXセミナー")
    reg = _register(member, event)
    client = app.test_client()
    login(client, member)
    page = client.get(f"/mypage/passes/{reg.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in html and reg.reference in html
    assert "member.css" in html and "print=card" in html  # the print stylesheet, card size
    static = client.get("/static/member.css")
    css = static.get_data(as_text=True)
    static.close()
    assert "size: A4 portrait" in css and "@page pass-card { size: 91mm 55mm" in css
    other = app.test_client()
    login(other, make_user("member"))
    assert other.get(f"/mypage/passes/{reg.id}").status_code == 404
    assert client.get("/mypage/passes/999999").status_code == 404


def test_an_online_or_cancelled_registration_has_no_pass(app, member, make_event):
    event = make_event(frames=[dict(name="オンライン参加", capacity=10, mode="online")])
    online = _register(member, event)
    dropped_event = make_event(title="取り消したセミナー")
    dropped = _register(member, dropped_event)
    cancel_registration(dropped, now_utc())
    db.session.commit()
    client = app.test_client()
    login(client, member)
    assert client.get(f"/mypage/passes/{online.id}").status_code == 404
    assert client.get(f"/mypage/passes/{dropped.id}").status_code == 404
    html = client.get("/mypage/").get_data(as_text=True)
    assert "/mypage/passes/" not in html
