"""Advisor and staff pages: booking for a member (Tokyo time), consultation days, records,
follow-ups, the schedule grid, the overview and its CSV."""

import csv
import io
from datetime import datetime, timedelta

from sqlalchemy import select

from booking.accounts.models import Company
from booking.consultations.catalogue import theme_by_slug
from booking.consultations.models import Consultation, ConsultationDay
from booking.consultations.services import Intake
from booking.consultations.slots import free_slots
from booking.extensions import db
from booking.timefmt import as_utc, now_utc, to_local
from tests.conftest import login


def _slot(advisor, days=10, n=0, channel="online"):
    now = now_utc()
    return free_slots(
        theme_by_slug("management"),
        now + timedelta(days=days),
        now + timedelta(days=days + 10),
        now,
        advisor_id=advisor.id,
        channel_slug=channel,
    )[n]


def test_staff_booking_takes_the_typed_time_as_tokyo_time(staff_client, member, make_advisor):
    advisor = make_advisor()
    slot = _slot(advisor)
    local = to_local(slot.start)
    response = staff_client.post(
        "/consultations/desk/book",
        data={
            "member_email": member.email,
            "theme": "management",
            "channel": "online",
            "advisor": str(advisor.id),
            "day": local.date().isoformat(),
            "time": local.strftime("%H:%M"),
            "topic": "電話での申込",
        },
    )
    assert response.status_code == 302
    c = db.session.scalar(select(Consultation))
    # e.g. 10:00 typed → 01:00 UTC stored, whatever the server's own zone.
    assert as_utc(c.starts_at) == slot.start
    assert as_utc(c.starts_at).hour == (local.hour - 9) % 24
    assert c.member_id == member.id and c.booked_by_id is not None


def test_staff_booking_a_utc_reading_of_the_time_is_refused(staff_client, member, make_advisor):
    advisor = make_advisor(
        hours=[
            (d, datetime.min.time().replace(hour=10), datetime.min.time().replace(hour=11))
            for d in range(5)
        ]
    )
    slot = _slot(advisor)
    local = to_local(slot.start)
    # 01:00 Tokyo is outside hours; read as UTC it would be 10:00 Tokyo, a free slot.
    response = staff_client.post(
        "/consultations/desk/book",
        data={
            "member_email": member.email,
            "theme": "management",
            "channel": "online",
            "advisor": str(advisor.id),
            "day": local.date().isoformat(),
            "time": "01:00",
            "topic": "電話での申込",
        },
    )
    assert response.status_code == 422
    assert db.session.scalar(select(Consultation)) is None


def test_members_cannot_open_desk_pages(member_client):
    for url in (
        "/consultations/desk/",
        "/consultations/desk/book",
        "/consultations/desk/days",
        "/consultations/desk/overview",
    ):
        assert member_client.get(url).status_code == 404, url


def test_staff_publish_a_consultation_day_and_members_can_book_it(staff_client, make_advisor):
    a, b = make_advisor(hours=[]), make_advisor(hours=[])
    day = to_local(now_utc()).date() + timedelta(days=14)
    from booking.org.services import unit_by_key

    shibuya = unit_by_key("branch:shibuya")
    response = staff_client.post(
        "/consultations/desk/days",
        data={
            "title": "渋谷 出張相談会",
            "day": day.isoformat(),
            "starts": "13:00",
            "ends": "15:00",
            "branch": str(shibuya.id),
            "venue_name": "渋谷区民会館",
            "venue_address": "",
            "theme": "",
            "advisors": [str(a.id), str(b.id)],
        },
    )
    assert response.status_code == 302
    assert db.session.scalar(select(ConsultationDay)).title == "渋谷 出張相談会"
    now = now_utc()
    slots = free_slots(
        theme_by_slug("management"), now, now + timedelta(days=20), now, branch_id=shibuya.id
    )
    assert len(slots) == 4 and {s.channel for s in slots} == {"branch"}


def _past_consultation(member, advisor, book):
    c = book(member, _slot(advisor).start, advisor, now=now_utc())
    return c


def test_the_advisor_writes_the_record_and_the_member_never_sees_it(
    client, member, make_advisor, book
):
    advisor = make_advisor()
    c = _past_consultation(member, advisor, book)
    login(client, advisor.user)
    response = client.post(
        f"/consultations/desk/{c.id}/record",
        data={
            "attendance": "attended",
            "outcome": "資金計画を確認した",
            "follow_up": "",
            "next_step": "2週間後に再相談",
        },
    )
    assert response.status_code == 302
    assert "資金計画を確認した" in client.get(f"/consultations/{c.id}").get_data(as_text=True)
    client.post("/account/logout")
    login(client, member)
    page = client.get(f"/consultations/{c.id}").get_data(as_text=True)
    assert "資金計画を確認した" not in page and "相談記録" not in page
    assert client.get(f"/consultations/desk/{c.id}/record").status_code == 404


def test_records_are_for_staff_of_that_branch_only(client, member, make_advisor, make_user, book):
    advisor = make_advisor(channels=("branch",))
    c = book(
        member, _slot(advisor, channel="branch").start, advisor, channel="branch", now=now_utc()
    )
    login(client, make_user("staff", unit_key="branch:minato"))
    assert client.get(f"/consultations/desk/{c.id}/record").status_code == 404
    client.post("/account/logout")
    login(client, make_user("staff", unit_key="branch:chiyoda"))
    assert client.get(f"/consultations/desk/{c.id}/record").status_code == 200


def test_a_follow_up_is_one_click_with_the_same_advisor(client, member, make_advisor, book):
    advisor = make_advisor()
    c = book(member, _slot(advisor).start, advisor, now=now_utc())
    login(client, advisor.user)
    nxt = _slot(advisor, days=20)
    response = client.post(
        f"/consultations/desk/{c.id}/follow-up", data={"start": nxt.start.isoformat()}
    )
    assert response.status_code == 302
    follow = db.session.scalar(select(Consultation).where(Consultation.follow_up_of_id == c.id))
    assert follow.advisor_id == advisor.id and follow.member_id == member.id


def test_the_advisor_week_grid_shows_bookings_and_the_join_link(client, member, make_advisor, book):
    advisor = make_advisor()
    slot = _slot(advisor)
    book(member, slot.start, advisor, now=now_utc())
    login(client, advisor.user)
    day = to_local(slot.start).date().isoformat()
    page = client.get(f"/consultations/desk/?date={day}").get_data(as_text=True)
    assert member.full_name in page and advisor.video_url in page
    page = client.get(f"/consultations/desk/?view=day&date={day}").get_data(as_text=True)
    assert member.full_name in page


def test_overview_counts_and_csv_with_bom(staff_client, member, make_advisor, book):
    advisor = make_advisor()
    slot = _slot(advisor)
    book(member, slot.start, advisor, now=now_utc())
    month = to_local(slot.start).strftime("%Y-%m")
    page = staff_client.get(f"/consultations/desk/overview?month={month}&branch=chiyoda")
    assert page.status_code == 200 and "予約 1件" in page.get_data(as_text=True)
    csv = staff_client.get(f"/consultations/desk/overview.csv?month={month}&branch=chiyoda")
    assert csv.data.startswith(b"\xef\xbb\xbf")
    text = csv.data.decode("utf-8-sig").splitlines()
    assert text[0].startswith("受付番号") and len(text) == 2 and "経営相談" in text[1]


def _overview_rows(client, slot) -> list[list[str]]:
    month = to_local(slot.start).strftime("%Y-%m")
    response = client.get(f"/consultations/desk/overview.csv?month={month}&branch=chiyoda")
    assert response.status_code == 200 and response.data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="consultations-chiyoda-'
    )
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_the_overview_csv_neutralises_what_members_typed(
    staff_client, make_user, make_advisor, book
):
    member = make_user("member", company=Company(name="+cmd|' /C calc'!A0", member_no="55001"),
                       family_name="@SUM(1+1)", given_name="")  # fmt: skip
    advisor = make_advisor()
    slot = _slot(advisor)
    book(member, slot.start, advisor, now=now_utc(),
         intake=Intake(topic='=HYPERLINK("http://evil.example/","詳細")'))  # fmt: skip
    [_header, row] = _overview_rows(staff_client, slot)
    assert row[-1] == '\'=HYPERLINK("http://evil.example/","詳細")'
    assert row[6] == "'+cmd|' /C calc'!A0" and row[8].startswith("'@SUM(1+1)")
    assert not [c for c in row if c and c[0] in "=+-@\t\r"]


def test_an_english_staff_member_gets_the_overview_csv_in_english(
    client, make_user, member, make_advisor, book
):
    english = make_user("staff")
    english.locale = "en"
    db.session.commit()
    advisor = make_advisor()
    slot = _slot(advisor)
    book(member, slot.start, advisor, now=now_utc())
    login(client, english)
    [header, row] = _overview_rows(client, slot)
    assert header[0] == "Reference number" and header[-1] == "Topic"
    assert not any(
        "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in "".join(header)
    )
    assert row[9] == "Booked"


def test_the_staff_dashboard_counts_todays_consultations_by_branch(
    staff_client, member, make_advisor, book
):
    from booking.consultations.reporting import today_by_branch

    advisor = make_advisor(channels=("branch",))
    slot = _slot(advisor, channel="branch")
    book(member, slot.start, advisor, channel="branch", now=now_utc())
    assert today_by_branch(slot.start) == [("千代田支部", 1)]
    assert "本日の経営相談" in staff_client.get("/staff/").get_data(as_text=True)
