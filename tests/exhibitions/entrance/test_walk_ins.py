"""A trade fair takes visitors until its last day closes, walk-ins at the entrance desk too;
a seminar still closes at its start."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from booking.accounts.models import User
from booking.events.models import Registration
from booking.events.registrations import (
    WindowClosed,
    frame_state,
    register_for_frame,
    registration_window,
)
from booking.exhibitions.models import Entry
from booking.extensions import db
from booking.notifications.models import OutboxMessage
from booking.timefmt import as_utc
from tests.clock import DOORS_OPEN
from tests.conftest import login
from tests.exhibitions.visitors import at, register
from tests.factories import make_event

# --- the rule, at chosen instants -----------------------------------------------------


@pytest.fixture
def later_fair(make_fair):
    """Two days, 10:00–17:00 each, two weeks from now."""
    return make_fair(days_ahead=14)


@pytest.mark.parametrize(
    ("day", "hour", "minute", "expected"),
    [(0, 9, 59, "open"), (0, 10, 30, "open"), (0, 23, 50, "open"), (1, 16, 59, "open"),
     (1, 17, 0, "closed")],
)  # fmt: skip
def test_a_fair_takes_registrations_until_its_last_day_closes(
    later_fair, make_user, day, hour, minute, expected
):  # fmt: skip
    now = at(later_fair.days[day], hour, minute)
    frame = later_fair.event.frames[0]
    assert registration_window(frame, now) == expected
    if expected == "open":
        assert frame_state(frame, now) == "open"
        reg = register_for_frame(make_user("guest"), later_fair.event.id, frame.id, {}, now)
        assert reg.status == "confirmed"
    else:
        with pytest.raises(WindowClosed):
            register_for_frame(make_user("guest"), later_fair.event.id, frame.id, {}, now)


def test_a_seminar_still_closes_at_its_start(app, make_user):
    seminar = make_event(days=3)
    frame, start = seminar.frames[0], as_utc(seminar.starts_at)
    assert registration_window(frame, start - timedelta(minutes=1)) == "open"
    assert registration_window(frame, start) == "closed"
    assert frame_state(frame, start + timedelta(minutes=5)) == "closed"
    with pytest.raises(WindowClosed):
        register_for_frame(make_user("member"), seminar.id, frame.id, {}, start)


def test_a_frames_own_closing_time_still_applies_to_a_fair(later_fair):
    frame = later_fair.event.frames[0]
    frame.closes_at = at(later_fair.days[0], 9, 0)
    db.session.commit()
    assert registration_window(frame, at(later_fair.days[0], 10, 30)) == "closed"


# --- the pages, on the fair's first day ------------------------------------------------


@pytest.fixture
def fair(make_fair, clock):
    # Today is its first day of two, and the doors opened half an hour ago.
    clock.move_to(DOORS_OPEN)
    return make_fair(days_ahead=0)


def _desk(fair, entrance="東口"):
    return f"/staff/entrance/{fair.id}/walk-in?entrance={entrance}&day={fair.days[0].isoformat()}"


WALK_IN = {"family_name": "佐藤", "given_name": "花子", "family_kana": "さとう",
           "given_kana": "はなこ", "company": "株式会社サンプル", "email": "hanako@example.jp"}  # fmt: skip


def _walk_in(staff_client, fair, **changes):
    data = {**WALK_IN, "frame": str(fair.event.frames[0].id), **changes}
    return staff_client.post(_desk(fair), data=data)


def test_a_visitor_registers_through_the_page_while_the_fair_is_open(client, fair, member):
    assert login(client, member).status_code == 302
    path = f"/events/{fair.event.id}/register"
    form = client.get(path)
    assert form.status_code == 200 and "申込受付は終了しました" not in form.get_data(as_text=True)
    frame = str(fair.event.frames[0].id)
    assert client.post(path, data={"frame": frame}).status_code == 200  # the confirmation page
    done = client.post(path, data={"frame": frame, "confirmed": "1"})
    assert done.status_code == 302
    reg = db.session.scalar(select(Registration).where(Registration.user_id == member.id))
    assert reg.status == "confirmed"
    assert "<svg" in client.get(done.headers["Location"]).get_data(as_text=True)  # the pass


def test_the_desk_registers_a_walk_in_and_lets_them_in(staff_client, fair):
    response = _walk_in(staff_client, fair)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert 'class="entry-result entered"' in html and "入場OK" in html
    assert "佐藤 花子" in html and "サトウ ハナコ" in html and "株式会社サンプル" in html
    visitor = db.session.scalar(select(User).where(User.email == "hanako@example.jp"))
    assert visitor.role == "guest" and visitor.company.name == "株式会社サンプル"
    reg = db.session.scalar(select(Registration).where(Registration.user_id == visitor.id))
    assert reg.status == "confirmed" and reg.checked_in_at is not None
    assert reg.frame.mode == "in_person"
    assert db.session.execute(select(Entry.entrance, Entry.day)).all() == [("東口", fair.days[0])]
    assert "<svg" in html and reg.reference in html  # the pass, for later days
    confirmation = db.session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.dedupe_key == f"registration:{reg.id}:confirmed:0"
        )
    )
    assert confirmation.recipient == "hanako@example.jp"
    assert confirmation.context["pass_token"] == reg.pass_token


def test_a_walk_in_without_an_email_gets_in_and_no_mail_is_planned(staff_client, fair):
    response = _walk_in(staff_client, fair, email="", company="")
    assert response.status_code == 200 and "入場OK" in response.get_data(as_text=True)
    reg = db.session.scalar(select(Registration))
    assert reg.checked_in_at is not None and reg.user.company is None
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_walk_in_who_had_registered_is_let_in_on_that_registration(staff_client, fair,
                                                                      make_user):  # fmt: skip
    member = make_user("member", email="hanako@example.jp")
    reg = register(fair, member)
    response = _walk_in(staff_client, fair)
    assert response.status_code == 200 and "入場OK" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1
    assert db.session.scalar(select(Entry.registration_id)) == reg.id


def test_the_walk_in_form_asks_again_for_a_missing_name_or_bad_email(staff_client, fair):
    response = _walk_in(staff_client, fair, family_name="", email="not-an-address")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (
        "入力内容を確認してください" in html and "メールアドレスの形式が正しくありません。" in html
    )
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_a_walk_in_when_the_fair_is_full_is_told_so(staff_client, make_fair, clock):
    clock.move_to(DOORS_OPEN)
    fair = make_fair(days_ahead=0, capacity=0)
    fair.event.frames[0].waitlist = False
    db.session.commit()
    response = _walk_in(staff_client, fair)
    assert response.status_code == 422
    assert "満席のためお申し込みいただけません。" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Entry)) == 0


def test_no_walk_in_is_registered_on_a_day_the_fair_is_closed(staff_client, fair):
    path = f"/staff/entrance/{fair.id}/walk-in?entrance=東口&day=2001-01-01"
    response = staff_client.post(path, data={**WALK_IN, "frame": str(fair.event.frames[0].id)})
    assert response.status_code == 422
    assert "この日は開催日ではありません。" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_the_scan_page_links_to_the_walk_in_desk(staff_client, fair):
    page = staff_client.get(
        f"/staff/entrance/{fair.id}/scan?entrance=東口&day={fair.days[0].isoformat()}"
    ).get_data(as_text=True)
    assert "参加証のない方を当日受付する" in page and f"/staff/entrance/{fair.id}/walk-in" in page


def test_members_cannot_use_the_walk_in_desk(member_client, fair):
    assert member_client.get(_desk(fair)).status_code == 404
    assert member_client.post(_desk(fair), data=WALK_IN).status_code == 404


def test_a_closed_registration_refuses_the_walk_in_with_a_reason(staff_client, fair):
    fair.event.frames[0].closes_at = as_utc(fair.event.starts_at) - timedelta(days=1)
    db.session.commit()
    response = _walk_in(staff_client, fair)
    assert response.status_code == 422
    assert "申込受付は終了しました。" in response.get_data(as_text=True)
