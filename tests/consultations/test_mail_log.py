"""Staff's delivery log names a consultation's mail as the booking it concerns, linked."""

from __future__ import annotations

from datetime import timedelta

from booking.consultations.catalogue import theme_by_slug
from booking.consultations.slots import free_slots
from booking.timefmt import now_utc


def test_a_consultation_mail_links_to_the_booking(staff_client, make_advisor, book, make_user):
    advisor = make_advisor()
    member = make_user("member", family_name="鈴木", given_name="一郎")
    now = now_utc()
    [slot, *_] = free_slots(
        theme_by_slug("management"), now + timedelta(days=10), now + timedelta(days=20), now,
        advisor_id=advisor.id, channel_slug="online",
    )  # fmt: skip
    c = book(member, slot.start, advisor, now=now)
    page = staff_client.get("/staff/outbox/").get_data(as_text=True)
    assert f'<a href="/consultations/{c.id}">経営相談の予約</a>' in page
    assert "鈴木 一郎" in page
    assert "consultation:" not in page


def test_branch_staff_see_their_branchs_consultation_mail(client, make_advisor, book, make_user):
    from booking.org.services import unit_by_key
    from tests.conftest import login

    advisor = make_advisor(branches=("chiyoda",))
    member = make_user("member", email="suzuki@example.jp")
    now = now_utc()
    [slot, *_] = free_slots(
        theme_by_slug("management"), now + timedelta(days=10), now + timedelta(days=20), now,
        advisor_id=advisor.id, channel_slug="branch",
    )  # fmt: skip
    book(member, slot.start, advisor, channel="branch", now=now,
         branch_id=unit_by_key("branch:chiyoda").id)  # fmt: skip
    login(client, make_user("staff", unit_key="branch:chiyoda"))
    assert "suzuki@example.jp" in client.get("/staff/outbox/").get_data(as_text=True)
    login(client, make_user("staff", unit_key="branch:shibuya"))
    assert "suzuki@example.jp" not in client.get("/staff/outbox/").get_data(as_text=True)
