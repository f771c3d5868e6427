"""Booking, seeing and cancelling meetings (商談) from both sides."""

import pytest

from booking.errors import Invalid, NotAllowed, SlotTaken
from booking.exhibitions.meetings.mails import cancel_token
from booking.exhibitions.meetings.services import VisitorBusy
from booking.exhibitions.models import Lead, Meeting
from booking.extensions import db
from tests.exhibitions.meeting_helpers import (
    at,
    book,
    booking_form,
    signed_in,
    slot_url,
    visitor,
)


@pytest.fixture
def fair(make_fair):
    return make_fair()


def test_a_registered_visitor_books_a_free_slot(app, fair, make_exhibitor, make_user):
    exhibitor, _ = make_exhibitor(fair)
    guest = visitor(make_user, fair)
    client = signed_in(app, guest)
    page = client.get(slot_url(exhibitor, at(fair, 0, 13, 30)))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "連絡先を出展者に共有する" in html
    assert 'name="share" type="checkbox" value="y">' in html  # not ticked by default
    response = client.post(slot_url(exhibitor), data=booking_form(at(fair, 0, 13, 30)))
    assert response.status_code == 302
    meeting = db.session.query(Meeting).one()
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    assert (meeting.visitor_id, meeting.exhibitor_id, meeting.mode) == (
        guest.id,
        exhibitor.id,
        "booth",
    )
    assert meeting.starts_at == at(fair, 0, 13, 30) and meeting.topic == "新製品の相談"
    assert db.session.query(Lead).count() == 0  # nothing shared without the checkbox


def test_the_slot_page_lists_free_slots_by_day(app, fair, make_exhibitor, make_user):
    exhibitor, _ = make_exhibitor(fair)
    other = visitor(make_user, fair)
    book(other, exhibitor, at(fair, 0, 14))
    html = app.test_client().get(slot_url(exhibitor)).get_data(as_text=True)
    assert html.count("13:30〜14:00") == 2 and html.count("14:00〜14:30") == 1
    assert "ログイン" in html


def test_without_a_confirmed_registration_the_visitor_is_sent_to_register(
    app, fair, make_exhibitor, make_user
):
    exhibitor, _ = make_exhibitor(fair)
    client = signed_in(app, make_user("member"))
    page = client.get(slot_url(exhibitor)).get_data(as_text=True)
    assert "来場登録（確定）が必要です" in page
    assert f"/events/{fair.event.id}" in page
    response = client.post(slot_url(exhibitor), data=booking_form(at(fair, 0, 13)))
    assert response.status_code == 403
    assert db.session.query(Meeting).count() == 0


def test_a_slot_just_taken_is_refused_with_409(app, fair, make_exhibitor, make_user):
    exhibitor, _ = make_exhibitor(fair)
    book(visitor(make_user, fair), exhibitor, at(fair, 0, 13))
    client = signed_in(app, visitor(make_user, fair))
    response = client.post(slot_url(exhibitor), data=booking_form(at(fair, 0, 13)))
    assert response.status_code == 409
    assert "たった今、ほかの方が予約されました" in response.get_data(as_text=True)
    assert db.session.query(Meeting).count() == 1


def test_a_visitor_cannot_book_two_exhibitors_at_the_same_time(
    app, fair, make_exhibitor, make_user
):
    first, _ = make_exhibitor(fair, name="株式会社さくら製作所")
    second, _ = make_exhibitor(fair)
    guest = visitor(make_user, fair)
    book(guest, first, at(fair, 0, 13))
    client = signed_in(app, guest)
    response = client.post(slot_url(second), data=booking_form(at(fair, 0, 13)))
    assert response.status_code == 409
    assert "株式会社さくら製作所" in response.get_data(as_text=True)
    with pytest.raises(VisitorBusy):
        book(guest, second, at(fair, 0, 13), now=at(fair, 0, 9))
    db.session.rollback()
    # Another time with the same exhibitor is fine.
    assert book(guest, second, at(fair, 0, 13, 30)).status == "booked"


def test_times_outside_the_slots_are_refused(app, fair, make_exhibitor, make_user):
    exhibitor, _ = make_exhibitor(fair)
    guest = visitor(make_user, fair)
    client = signed_in(app, guest)
    for start in (at(fair, 0, 13, 10), at(fair, 0, 15), at(fair, 0, 11)):
        response = client.post(slot_url(exhibitor), data=booking_form(start))
        assert response.status_code == 422
        assert "商談の受付時間外です" in response.get_data(as_text=True)
    response = client.post(slot_url(exhibitor), data=booking_form(at(fair, 0, 13), mode="online"))
    assert response.status_code == 422  # no online hours
    assert db.session.query(Meeting).count() == 0


def test_booking_closes_the_notice_before_the_start(fair, make_exhibitor, make_user):
    exhibitor, _ = make_exhibitor(fair)
    guest = visitor(make_user, fair)
    with pytest.raises(Invalid) as caught:
        book(guest, exhibitor, at(fair, 0, 14), now=at(fair, 0, 13, 30))
    assert caught.value.code == "too_soon"
    db.session.rollback()
    with pytest.raises(Invalid) as caught:
        book(guest, exhibitor, at(fair, 0, 13), now=at(fair, 0, 13, 5))
    assert caught.value.code == "slot_in_past"


def test_only_accepted_exhibitors_of_published_fairs_take_meetings(
    app, make_fair, make_exhibitor, make_user
):
    fair = make_fair()
    waiting, _ = make_exhibitor(fair, status="waitlisted")
    client = signed_in(app, visitor(make_user, fair))
    assert client.get(slot_url(waiting)).status_code == 404
    assert client.post(slot_url(waiting), data=booking_form(at(fair, 0, 13))).status_code == 404
    draft = make_fair(status="draft")
    hidden, _ = make_exhibitor(draft)
    assert client.get(slot_url(hidden)).status_code == 404


def test_someone_acting_for_the_exhibitor_cannot_book_it(fair, make_exhibitor):
    from tests.exhibitions.meeting_helpers import register

    exhibitor, company_user = make_exhibitor(fair)
    register(fair, company_user)
    with pytest.raises(NotAllowed):
        book(company_user, exhibitor, at(fair, 0, 13))


def test_the_meeting_page_is_for_the_visitor_and_the_exhibitor_only(
    app, fair, make_exhibitor, make_user
):
    exhibitor, company_user = make_exhibitor(
        fair, online_meeting_url="https://meet.example.jp/booth-42"
    )
    guest = visitor(make_user, fair, family_name="佐藤", family_kana="サトウ")
    booth = book(guest, exhibitor, at(fair, 0, 13))
    page = signed_in(app, guest).get(f"/meetings/{booth.id}").get_data(as_text=True)
    assert exhibitor.name in page and "13:00〜13:30" in page
    assert "meet.example.jp" not in page  # a booth meeting has no online room
    seller = signed_in(app, company_user).get(f"/meetings/{booth.id}")
    assert seller.status_code == 200 and "サトウ" in seller.get_data(as_text=True)
    stranger = signed_in(app, make_user("member"))
    assert stranger.get(f"/meetings/{booth.id}").status_code == 404
    assert app.test_client().get(f"/meetings/{booth.id}").status_code == 302  # to login


def test_the_online_meeting_url_is_shown_for_online_meetings(app, fair, make_exhibitor, make_user):
    from datetime import time

    from booking.exhibitions.models import MeetingHours

    exhibitor, _ = make_exhibitor(fair, online_meeting_url="https://meet.example.jp/booth-42")
    db.session.add(MeetingHours(exhibitor_id=exhibitor.id, day=fair.days[1], starts=time(16),
                                ends=time(17), mode="online"))  # fmt: skip
    db.session.commit()
    guest = visitor(make_user, fair)
    online = book(guest, exhibitor, at(fair, 1, 16), mode="online")
    page = signed_in(app, guest).get(f"/meetings/{online.id}").get_data(as_text=True)
    assert "https://meet.example.jp/booth-42" in page


def test_a_cancelled_meeting_page_offers_no_cancel_and_no_join_url(
    app, fair, make_exhibitor, make_user
):
    from datetime import time

    from booking.exhibitions.models import MeetingHours

    exhibitor, _ = make_exhibitor(fair, online_meeting_url="https://meet.example.jp/booth-7")
    db.session.add(MeetingHours(exhibitor_id=exhibitor.id, day=fair.days[1], starts=time(16),
                                ends=time(17), mode="online"))  # fmt: skip
    db.session.commit()
    guest = visitor(make_user, fair)
    online = book(guest, exhibitor, at(fair, 1, 16), mode="online")
    client = signed_in(app, guest)
    page = client.get(f"/meetings/{online.id}").get_data(as_text=True)
    assert "https://meet.example.jp/booth-7" in page and "キャンセルする" in page
    assert client.post(f"/meetings/{online.id}/cancel").status_code == 302
    page = client.get(f"/meetings/{online.id}").get_data(as_text=True)
    assert "https://meet.example.jp/booth-7" not in page and "キャンセルする" not in page
    assert "キャンセルする" not in client.get(f"/meetings/{online.id}/cancel").get_data(
        as_text=True
    )


def test_the_visitor_cancels_from_the_meeting_page(app, fair, make_exhibitor, make_user):
    exhibitor, _ = make_exhibitor(fair)
    guest = visitor(make_user, fair)
    meeting = book(guest, exhibitor, at(fair, 0, 13))
    client = signed_in(app, guest)
    assert "キャンセルする" in client.get(f"/meetings/{meeting.id}/cancel").get_data(as_text=True)
    assert db.session.get(Meeting, meeting.id).status == "booked"  # a GET changes nothing
    assert client.post(f"/meetings/{meeting.id}/cancel").status_code == 302
    meeting = db.session.get(Meeting, meeting.id)
    assert meeting.status == "cancelled" and meeting.cancelled_by_id == guest.id
    assert meeting.sequence == 1
    # The slot is free again.
    assert book(visitor(make_user, fair), exhibitor, at(fair, 0, 13)).status == "booked"


def test_either_side_cancels_by_the_signed_link(app, fair, make_exhibitor, make_user):
    exhibitor, _ = make_exhibitor(fair)
    guest = visitor(make_user, fair)
    first = book(guest, exhibitor, at(fair, 0, 13))
    second = book(guest, exhibitor, at(fair, 1, 13))
    client = app.test_client()  # not signed in
    link = f"/meetings/c/{cancel_token(first, 'v')}"
    assert client.get(link).status_code == 200
    assert db.session.get(Meeting, first.id).status == "booked"
    assert client.post(link).status_code == 302
    assert db.session.get(Meeting, first.id).status == "cancelled"
    seller_link = f"/meetings/c/{cancel_token(second, 'x')}"
    assert guest.full_kana in client.get(seller_link).get_data(as_text=True)  # who it was with
    assert client.post(seller_link).status_code == 302
    second = db.session.get(Meeting, second.id)
    assert second.status == "cancelled" and second.cancelled_by_id is None


def test_a_forged_or_swapped_link_is_404(app, fair, make_exhibitor, make_user):
    exhibitor, _ = make_exhibitor(fair)
    guest = visitor(make_user, fair)
    first = book(guest, exhibitor, at(fair, 0, 13))
    second = book(guest, exhibitor, at(fair, 1, 13))
    client = app.test_client()
    token = cancel_token(first, "v")
    swapped = f"{second.id}-" + token.split("-", 1)[1]
    for bad in (swapped, token[:-2] + "xx", f"{first.id}-x-" + token.split("-", 2)[2], "junk"):
        assert client.post(f"/meetings/c/{bad}").status_code == 404
    assert db.session.query(Meeting).filter_by(status="booked").count() == 2


def test_a_started_meeting_cannot_be_cancelled(fair, make_exhibitor, make_user):
    from booking.exhibitions.meetings.services import cancel_meeting

    exhibitor, _ = make_exhibitor(fair)
    guest = visitor(make_user, fair)
    meeting = book(guest, exhibitor, at(fair, 0, 13))
    with pytest.raises(NotAllowed):
        cancel_meeting(meeting, at(fair, 0, 13, 5), guest, "visitor")
    cancel_meeting(meeting, at(fair, 0, 12), guest, "visitor")
    with pytest.raises(NotAllowed):
        cancel_meeting(meeting, at(fair, 0, 12), guest, "visitor")


def test_the_exhibitor_sees_the_days_meetings(app, fair, make_exhibitor, make_user):
    exhibitor, company_user = make_exhibitor(fair)
    sharing = visitor(make_user, fair, family_name="佐藤", given_name="花子",
                      family_kana="サトウ", given_kana="ハナコ")  # fmt: skip
    quiet = visitor(make_user, fair, family_name="鈴木", family_kana="スズキ")
    book(sharing, exhibitor, at(fair, 0, 14), topic="OEMの相談", share_contact=True)
    book(quiet, exhibitor, at(fair, 0, 13))
    book(quiet, exhibitor, at(fair, 1, 13))
    client = signed_in(app, company_user)
    page = client.get(f"/exhibitor/{exhibitor.id}/meetings?day={fair.days[0].isoformat()}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.index("スズキ") < html.index("サトウ ハナコ")  # in time order
    assert "OEMの相談" in html and sharing.company.name in html
    assert html.count("共有済み") == 1 and html.count("共有なし") == 1
    assert "（2件）" in html
    other_company = signed_in(app, make_exhibitor(fair)[1])
    assert other_company.get(f"/exhibitor/{exhibitor.id}/meetings").status_code == 404
    assert signed_in(app, sharing).get(f"/exhibitor/{exhibitor.id}/meetings").status_code == 404


def test_my_page_lists_upcoming_meetings_with_cancel_links(app, fair, make_exhibitor, make_user):
    exhibitor, _ = make_exhibitor(fair, name="株式会社つばめ")
    guest = visitor(make_user, fair)
    client = signed_in(app, guest)
    assert "株式会社つばめ" not in client.get("/mypage/").get_data(as_text=True)
    meeting = book(guest, exhibitor, at(fair, 0, 13))
    html = client.get("/mypage/").get_data(as_text=True)
    # In My Page's one timeline of bookings, as a 商談 card.
    assert "mp-meeting" in html and "株式会社つばめ" in html
    assert f"/meetings/{meeting.id}/cancel" in html


def test_the_service_raises_slot_taken_for_a_booked_slot(fair, make_exhibitor, make_user):
    exhibitor, _ = make_exhibitor(fair)
    book(visitor(make_user, fair), exhibitor, at(fair, 0, 13))
    with pytest.raises(SlotTaken):
        book(visitor(make_user, fair), exhibitor, at(fair, 0, 13))


def test_the_buffer_keeps_a_gap_after_an_off_grid_booking(make_fair, make_exhibitor, make_user):
    fair = make_fair(meeting_buffer_minutes=10)
    exhibitor, _ = make_exhibitor(fair)
    # 13:00, 13:40, 14:20 are the slots; one booked at 13:40 leaves 13:00 and 14:20 free.
    book(visitor(make_user, fair), exhibitor, at(fair, 0, 13, 40))
    assert book(visitor(make_user, fair), exhibitor, at(fair, 0, 14, 20)).ends_at == at(
        fair, 0, 14, 50
    )
    with pytest.raises(Invalid):
        book(visitor(make_user, fair), exhibitor, at(fair, 0, 13, 30))


def test_booking_without_signing_in_leads_to_the_login(app, fair, make_exhibitor):
    exhibitor, _ = make_exhibitor(fair)
    response = app.test_client().post(slot_url(exhibitor), data=booking_form(at(fair, 0, 13)))
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert db.session.query(Meeting).count() == 0


def test_the_slot_list_can_show_one_mode(app, fair, make_exhibitor):
    from datetime import time

    from booking.exhibitions.models import MeetingHours

    exhibitor, _ = make_exhibitor(fair)
    db.session.add(MeetingHours(exhibitor_id=exhibitor.id, day=fair.days[0], starts=time(16),
                                ends=time(17), mode="online"))  # fmt: skip
    db.session.commit()
    client = app.test_client()
    assert "16:00〜16:30" in client.get(slot_url(exhibitor)).get_data(as_text=True)
    online = client.get(slot_url(exhibitor) + "?show=online").get_data(as_text=True)
    assert "16:00〜16:30" in online and "13:00〜13:30" not in online
