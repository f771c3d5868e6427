"""Staff create and edit advisors of their unit; an advisor edits their own profile and hours
and lands on the desk; changing hours never leaves a booking outside them."""

import re
from datetime import time, timedelta

from sqlalchemy import select

from booking.consultations.catalogue import theme_by_slug
from booking.consultations.models import (
    Advisor,
    AvailabilityException,
    Channel,
    Theme,
    WeeklyAvailability,
)
from booking.consultations.slots import free_slots
from booking.extensions import db
from booking.org.services import unit_by_key
from booking.timefmt import now_utc, to_local
from tests.conftest import login


def _ids(model, *slugs):
    return [str(i) for i in db.session.scalars(select(model.id).where(model.slug.in_(slugs)))]


def _advisor_form(**changes):
    chiyoda = unit_by_key("branch:chiyoda")
    data = {
        "email": "ｎｅｗ．ａｄｖｉｓｏｒ＠ｅｘａｍｐｌｅ．ｊｐ", "family_name": "佐藤",
        "given_name": "一郎", "family_kana": "さとう", "given_kana": "いちろう",
        "themes": _ids(Theme, "management", "finance"), "channels": _ids(Channel, "online"),
        "branches": [str(chiyoda.id)], "title": "中小企業診断士", "bio": "資金繰りが専門です。",
        "video_url": "https://meet.example.jp/sato",
    }  # fmt: skip
    return data | changes


def test_staff_create_an_advisor_with_a_new_account_invited_by_mail(
    client, make_user, catalogue, sent_mail
):
    login(client, make_user("staff", unit_key="branch:chiyoda"))
    assert client.get("/staff/consultations/advisors/new").status_code == 200
    response = client.post("/staff/consultations/advisors/new", data=_advisor_form())
    assert response.status_code == 302
    advisor = db.session.scalar(select(Advisor))
    assert response.headers["Location"].endswith(
        f"/consultations/desk/availability?advisor={advisor.id}"
    )
    assert advisor.user.email == "new.advisor@example.jp" and advisor.user.role == "advisor"
    assert advisor.user.family_kana == "サトウ"
    assert [t.slug for t in advisor.themes] == ["management", "finance"]
    assert [c.slug for c in advisor.channels] == ["online"]
    assert [b.slug for b in advisor.branches] == ["chiyoda"]
    assert advisor.video_url == "https://meet.example.jp/sato"
    mails = sent_mail()
    assert [m["To"] for m in mails] == ["new.advisor@example.jp"]
    body = mails[0].get_body(("plain",)).get_content()
    assert re.search(r"/account/reset/[\w-]+", body)


def test_an_existing_member_account_becomes_the_advisors(client, make_user, catalogue):
    person = make_user("member", email="kato@example.jp")
    login(client, make_user("staff"))
    response = client.post(
        "/staff/consultations/advisors/new", data=_advisor_form(email="kato@example.jp")
    )
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.role == "advisor"
    assert db.session.scalar(select(Advisor.user_id)) == person.id


def test_a_staff_account_cannot_become_an_advisor(client, make_user, catalogue):
    other = make_user("staff", email="office@example.jp")
    login(client, make_user("staff"))
    response = client.post(
        "/staff/consultations/advisors/new", data=_advisor_form(email=other.email)
    )
    assert response.status_code == 422
    assert "職員・管理者のアカウントは相談員にできません。" in response.get_data(as_text=True)
    assert db.session.scalar(select(Advisor)) is None


def test_missing_choices_and_a_bad_room_are_explained_keeping_what_was_typed(
    client, make_user, catalogue
):
    login(client, make_user("staff"))
    response = client.post(
        "/staff/consultations/advisors/new",
        data=_advisor_form(themes=[], video_url="javascript:alert(1)"),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "担当するテーマを1つ以上選んでください。" in page
    assert 'value="佐藤"' in page and "資金繰りが専門です。" in page
    response = client.post(
        "/staff/consultations/advisors/new", data=_advisor_form(video_url="javascript:alert(1)")
    )
    assert "https:// で始まるURLを入力してください。" in response.get_data(as_text=True)
    assert db.session.scalar(select(Advisor)) is None


def test_staff_edit_an_advisor(client, make_user, make_advisor):
    advisor = make_advisor()
    login(client, make_user("staff"))
    page = client.get(f"/staff/consultations/advisors/{advisor.id}").get_data(as_text=True)
    assert advisor.user.email in page
    response = client.post(
        f"/staff/consultations/advisors/{advisor.id}",
        data=_advisor_form(email=advisor.user.email, bio="事業承継も扱います。",
                           themes=_ids(Theme, "succession")),
    )  # fmt: skip
    assert response.status_code == 302
    db.session.refresh(advisor)
    assert advisor.bio == "事業承継も扱います。"
    assert [t.slug for t in advisor.themes] == ["succession"]


def test_branch_staff_manage_their_branchs_advisors_only(client, make_user, make_advisor):
    mine = make_advisor(branches=("chiyoda",))
    theirs = make_advisor(branches=("minato",))
    login(client, make_user("staff", unit_key="branch:chiyoda"))
    listing = client.get("/staff/consultations/advisors/").get_data(as_text=True)
    assert mine.name in listing and theirs.name not in listing
    assert client.get(f"/staff/consultations/advisors/{mine.id}").status_code == 200
    assert client.get(f"/staff/consultations/advisors/{theirs.id}").status_code == 404
    response = client.post(
        f"/staff/consultations/advisors/{theirs.id}", data=_advisor_form(bio="乗っ取り")
    )
    assert response.status_code == 404
    assert client.post(f"/staff/consultations/advisors/{theirs.id}/active",
                       data={"active": "0"}).status_code == 404  # fmt: skip
    assert client.get(f"/consultations/desk/availability?advisor={theirs.id}").status_code == 404
    db.session.refresh(theirs)
    assert theirs.bio == "" and theirs.active


def test_branch_staff_keep_the_other_branches_of_a_shared_advisor(client, make_user, make_advisor):
    shared = make_advisor(branches=("chiyoda", "minato"))
    login(client, make_user("staff", unit_key="branch:chiyoda"))
    page = client.get(f"/staff/consultations/advisors/{shared.id}").get_data(as_text=True)
    assert "港支部" not in page.split('id="branches"')[1].split("</ul>")[0]
    client.post(f"/staff/consultations/advisors/{shared.id}",
                data=_advisor_form(email=shared.user.email))  # fmt: skip
    db.session.refresh(shared)
    assert sorted(b.slug for b in shared.branches) == ["chiyoda", "minato"]


def test_hq_staff_and_admins_manage_every_advisor(client, make_user, make_advisor):
    theirs = make_advisor(branches=("minato",))
    login(client, make_user("staff"))
    assert client.get(f"/staff/consultations/advisors/{theirs.id}").status_code == 200
    client.post("/account/logout")
    login(client, make_user("admin", unit_key="branch:chiyoda"))
    assert client.get(f"/staff/consultations/advisors/{theirs.id}").status_code == 200


def test_an_advisor_edits_their_own_profile_but_no_one_elses(client, make_advisor):
    me, other = make_advisor(), make_advisor()
    login(client, me.user)
    assert client.get(f"/staff/consultations/advisors/{other.id}").status_code == 404
    assert client.get(f"/staff/consultations/advisors/{me.id}").status_code == 404
    response = client.post("/consultations/desk/profile",
                           data={"title": "税理士", "bio": "よろしくお願いします。",
                                 "video_url": "https://meet.example.jp/me"})  # fmt: skip
    assert response.status_code == 302
    db.session.refresh(me)
    assert (me.title, me.video_url) == ("税理士", "https://meet.example.jp/me")
    bad = client.post(
        "/consultations/desk/profile", data={"title": "税理士", "video_url": "ftp://x"}
    )
    assert bad.status_code == 422 and 'value="税理士"' in bad.get_data(as_text=True)


def test_members_have_no_advisor_profile_page(client, member):
    login(client, member)
    assert client.get("/consultations/desk/profile").status_code == 404


def test_an_advisor_lands_on_the_desk_and_the_header_links_to_it(client, make_advisor, member):
    advisor = make_advisor()
    response = login(client, advisor.user)
    assert response.headers["Location"].endswith("/consultations/desk/")
    page = client.get("/consultations/desk/").get_data(as_text=True)
    header = page.split("</header>")[0]
    assert 'href="/consultations/desk/"' in header
    client.post("/account/logout")
    assert login(client, member).headers["Location"].endswith("/mypage/")
    assert 'href="/consultations/desk/"' not in client.get("/mypage/").get_data(as_text=True)


def test_staff_land_on_the_dashboard_after_signing_in(client, staff):
    assert login(client, staff).headers["Location"].endswith("/staff/")


def _booked(make_advisor, book, member, **kw):
    advisor = make_advisor(**kw)
    now = now_utc()
    slot = free_slots(theme_by_slug("management"), now, now + timedelta(days=14), now,
                      advisor_id=advisor.id)[0]  # fmt: skip
    return advisor, book(member, slot.start, advisor=advisor, now=now)


def test_removing_weekly_hours_that_hold_a_booking_is_refused_naming_it(
    client, make_advisor, book, member
):
    advisor, booking = _booked(make_advisor, book, member)
    start = to_local(booking.starts_at)
    row = db.session.scalar(select(WeeklyAvailability).where(
        WeeklyAvailability.advisor_id == advisor.id,
        WeeklyAvailability.weekday == start.weekday(),
        WeeklyAvailability.starts <= start.time(), WeeklyAvailability.ends > start.time(),
    ))  # fmt: skip
    login(client, advisor.user)
    response = client.post("/consultations/desk/availability",
                           data={"action": "remove_weekly", "id": str(row.id)})  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "受付時間の外になります" in page and member.full_name in page
    assert db.session.get(WeeklyAvailability, row.id) is not None


def test_hours_moved_before_removing_the_old_ones_keep_the_booking(
    client, make_advisor, book, member
):
    advisor, booking = _booked(make_advisor, book, member)
    start = to_local(booking.starts_at)
    row = db.session.scalar(select(WeeklyAvailability).where(
        WeeklyAvailability.advisor_id == advisor.id,
        WeeklyAvailability.weekday == start.weekday(),
        WeeklyAvailability.starts <= start.time(), WeeklyAvailability.ends > start.time(),
    ))  # fmt: skip
    row_id, weekday, ends = row.id, row.weekday, row.ends.strftime("%H:%M")
    login(client, advisor.user)
    client.post("/consultations/desk/availability", data={
        "action": "add_weekly", "w-weekday": str(weekday), "w-starts": "09:30",
        "w-ends": ends, "w-channel": "",
    })  # fmt: skip
    response = client.post("/consultations/desk/availability",
                           data={"action": "remove_weekly", "id": str(row_id)})  # fmt: skip
    assert response.status_code == 302
    assert db.session.get(WeeklyAvailability, row_id) is None


def test_a_day_off_over_a_booking_is_refused(client, make_advisor, book, member):
    advisor, booking = _booked(make_advisor, book, member)
    login(client, advisor.user)
    response = client.post("/consultations/desk/availability", data={
        "action": "add_exception", "x-day": to_local(booking.starts_at).date().isoformat(),
        "x-kind": "off", "x-note": "研修",
    })  # fmt: skip
    assert response.status_code == 422
    assert "受付時間の外になります" in response.get_data(as_text=True)
    assert db.session.scalar(select(AvailabilityException)) is None


def test_an_advisor_with_bookings_ahead_cannot_be_deactivated(
    client, make_user, make_advisor, book, member
):
    advisor, _booking = _booked(make_advisor, book, member)
    login(client, make_user("staff"))
    response = client.post(f"/staff/consultations/advisors/{advisor.id}/active",
                           data={"active": "0"})  # fmt: skip
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "受付時間の外になります" in page and member.full_name in page
    db.session.refresh(advisor)
    assert advisor.active
    free = make_advisor(hours=[(0, time(10), time(11))])
    client.post(f"/staff/consultations/advisors/{free.id}/active", data={"active": "0"})
    db.session.refresh(free)
    assert not free.active


def test_naming_an_advisor_keeps_the_accounts_phone(client, make_user, catalogue):
    person = make_user("member", email="kato@example.jp", phone="03-9999-0000")
    login(client, make_user("staff"))
    client.post("/staff/consultations/advisors/new", data=_advisor_form(email="kato@example.jp"))
    db.session.refresh(person)
    assert (person.family_name, person.phone) == ("佐藤", "03-9999-0000")
