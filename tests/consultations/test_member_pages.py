"""Member pages: choose → grid → intake → confirm → booked; change and cancel (also by link)."""

from datetime import timedelta

from sqlalchemy import select

from booking.consultations.catalogue import theme_by_slug
from booking.consultations.models import Consultation
from booking.consultations.notify import manage_token
from booking.consultations.slots import free_slots
from booking.extensions import db
from booking.timefmt import as_utc, now_utc
from tests.conftest import login


def _slot(advisor, days=10, n=0):
    now = now_utc()
    return free_slots(
        theme_by_slug("management"),
        now + timedelta(days=days),
        now + timedelta(days=days + 10),
        now,
        advisor_id=advisor.id,
        channel_slug="online",
    )[n]


def _intake_data(slot, advisor="any", **kw):
    return {
        "theme": "management",
        "channel": "online",
        "branch": "any",
        "advisor": advisor,
        "start": slot.start.isoformat(),
        "topic": "販路開拓の相談",
        "situation": "",
        "goal": "",
        **kw,
    }


def test_the_steps_lead_to_a_week_grid_of_free_slots(member_client, make_advisor):
    make_advisor()
    page = member_client.get("/consultations/").get_data(as_text=True)
    assert "/consultations/book?theme=management" in page
    page = member_client.get("/consultations/book?theme=management").get_data(as_text=True)
    assert "channel=online" in page
    page = member_client.get("/consultations/book?theme=management&channel=online")
    assert "branch=any" in page.get_data(as_text=True)
    page = member_client.get("/consultations/book?theme=management&channel=online&branch=any")
    assert page.status_code == 200
    assert "/consultations/book/intake?" in page.get_data(as_text=True)


def test_booking_through_intake_and_confirmation(member_client, member, make_advisor):
    advisor = make_advisor()
    slot = _slot(advisor)
    data = _intake_data(slot)
    confirm = member_client.post("/consultations/book/intake", data={**data, "action": "confirm"})
    assert confirm.status_code == 200 and "予約を確定する" in confirm.get_data(as_text=True)
    assert db.session.scalar(select(Consultation)) is None
    done = member_client.post("/consultations/book/intake", data={**data, "action": "book"})
    assert done.status_code == 302
    c = db.session.scalar(select(Consultation))
    assert c.member_id == member.id and as_utc(c.starts_at) == slot.start
    assert c.topic == "販路開拓の相談"


def test_an_empty_topic_rerenders_with_422_and_keeps_input(member_client, make_advisor):
    advisor = make_advisor()
    data = _intake_data(_slot(advisor), topic="", situation="社員10名")
    response = member_client.post("/consultations/book/intake", data={**data, "action": "confirm"})
    assert response.status_code == 422
    assert "社員10名" in response.get_data(as_text=True)


def test_a_slot_taken_meanwhile_answers_409_with_a_way_back(
    member_client, make_advisor, make_user, book
):
    advisor = make_advisor()
    slot = _slot(advisor)
    book(make_user("member"), slot.start, advisor, now=now_utc())
    data = _intake_data(slot, advisor=str(advisor.id))
    response = member_client.post("/consultations/book/intake", data={**data, "action": "book"})
    assert response.status_code == 409
    assert "別の枠を選ぶ" in response.get_data(as_text=True)


def test_my_page_lists_upcoming_consultations(member_client, member, make_advisor, book):
    advisor = make_advisor()
    book(member, _slot(advisor).start, advisor, now=now_utc())
    page = member_client.get("/mypage/").get_data(as_text=True)
    assert "経営相談" in page and advisor.name in page


def test_cancel_shows_a_confirmation_and_only_post_acts(member_client, member, make_advisor, book):
    advisor = make_advisor()
    c = book(member, _slot(advisor).start, advisor, now=now_utc())
    page = member_client.get(f"/consultations/{c.id}/cancel")
    assert page.status_code == 200 and c.status == "booked"
    assert member_client.post(f"/consultations/{c.id}/cancel").status_code == 302
    db.session.refresh(c)
    assert c.status == "cancelled"


def test_the_signed_link_works_without_signing_in(client, member, make_advisor, book):
    advisor = make_advisor()
    c = book(member, _slot(advisor).start, advisor, now=now_utc())
    token = manage_token(c)
    assert client.get(f"/consultations/m/{token}").status_code == 200
    assert client.get(f"/consultations/m/{token}/cancel").status_code == 200
    db.session.refresh(c)
    assert c.status == "booked"
    assert client.post(f"/consultations/m/{token}/cancel").status_code == 302
    db.session.refresh(c)
    assert c.status == "cancelled"


def test_a_forged_link_answers_404(client):
    assert client.get("/consultations/m/not-a-token").status_code == 404
    assert client.post("/consultations/m/not-a-token/cancel").status_code == 404


def test_reschedule_by_link_moves_the_booking(client, member, make_advisor, book):
    advisor = make_advisor()
    c = book(member, _slot(advisor).start, advisor, now=now_utc())
    new = _slot(advisor, n=3)
    token = manage_token(c)
    grid = client.get(f"/consultations/m/{token}/reschedule").get_data(as_text=True)
    assert "start=" in grid
    confirm = client.get(
        f"/consultations/m/{token}/reschedule", query_string={"start": new.start.isoformat()}
    )
    assert confirm.status_code == 200
    response = client.post(
        f"/consultations/m/{token}/reschedule", data={"start": new.start.isoformat()}
    )
    assert response.status_code == 302
    db.session.refresh(c)
    assert as_utc(c.starts_at) == new.start and c.sequence == 1


def test_another_members_consultation_is_404(client, member, make_user, make_advisor, book):
    advisor = make_advisor()
    c = book(member, _slot(advisor).start, advisor, now=now_utc())
    other = make_user("member")
    login(client, other)
    for url in (
        f"/consultations/{c.id}",
        f"/consultations/{c.id}/cancel",
        f"/consultations/{c.id}/reschedule",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/consultations/{c.id}/cancel").status_code == 404


def test_the_themes_own_questions_are_asked_and_kept(member_client, make_advisor, theme):
    theme("management", questions=["従業員数"])
    advisor = make_advisor()
    data = _intake_data(_slot(advisor), q_0="12名")
    page = member_client.get(
        "/consultations/book/intake", query_string=_intake_data(_slot(advisor))
    )
    assert "従業員数" in page.get_data(as_text=True)
    member_client.post("/consultations/book/intake", data={**data, "action": "book"})
    c = db.session.scalar(select(Consultation))
    assert c.answers == {"従業員数": "12名"}


def test_a_start_outside_hours_is_a_clear_422_and_no_row(member_client, make_advisor):
    advisor = make_advisor()
    slot = _slot(advisor)
    late = slot.start.replace(hour=12)  # 21:00 in Tokyo
    data = _intake_data(slot, start=late.isoformat())
    response = member_client.post("/consultations/book/intake", data={**data, "action": "book"})
    assert response.status_code == 422
    assert "相談受付時間外" in response.get_data(as_text=True)
    assert db.session.scalar(select(Consultation)) is None
