"""The front desk books a consultation for a member found in the account search."""

from __future__ import annotations

from sqlalchemy import select

from booking.consultations.models import Consultation
from booking.extensions import db
from booking.timefmt import to_local
from tests.consultations.test_desk_pages import _slot


def _booking_form(advisor, slot, **extra):
    local = to_local(slot.start)
    return {"theme": "management", "channel": "online", "advisor": str(advisor.id),
            "day": local.date().isoformat(), "time": local.strftime("%H:%M"),
            "topic": "電話での申込", **extra}  # fmt: skip


def test_the_desk_form_opened_from_a_persons_page_names_them(staff_client, member, catalogue):
    html = staff_client.get(f"/consultations/desk/book?member={member.id}").get_data(as_text=True)
    assert member.full_name in html and "（ヤマダ タロウ）" in html
    assert 'name="member_email"' not in html
    assert f'name="member" type="hidden" value="{member.id}"' in html


def test_staff_book_for_the_person_chosen_without_typing_an_email(
    staff_client, member, make_advisor
):
    advisor = make_advisor()
    slot = _slot(advisor)
    response = staff_client.post(
        "/consultations/desk/book", data=_booking_form(advisor, slot, member=str(member.id))
    )
    assert response.status_code == 302
    c = db.session.scalar(select(Consultation))
    assert c.member_id == member.id and c.booked_by_id is not None


def test_the_email_path_still_books_and_an_empty_one_is_refused(staff_client, member, make_advisor):
    advisor = make_advisor()
    slot = _slot(advisor)
    empty = staff_client.post("/consultations/desk/book", data=_booking_form(advisor, slot))
    assert empty.status_code == 422 and "入力してください" in empty.get_data(as_text=True)
    response = staff_client.post(
        "/consultations/desk/book", data=_booking_form(advisor, slot, member_email=member.email)
    )
    assert response.status_code == 302


def test_a_guest_a_deactivated_or_unknown_person_cannot_be_chosen(
    staff_client, make_user, make_advisor
):
    advisor = make_advisor()
    slot = _slot(advisor)
    guest = make_user("guest")
    stopped = make_user("member")
    stopped.active = False
    db.session.commit()
    for ref in (guest.id, stopped.id, 99999999, "abc", "99999999999999999999"):
        assert staff_client.get(f"/consultations/desk/book?member={ref}").status_code == 404
        posted = staff_client.post(
            "/consultations/desk/book", data=_booking_form(advisor, slot, member=str(ref))
        )
        assert posted.status_code == 404
    assert db.session.scalar(select(Consultation.id)) is None
