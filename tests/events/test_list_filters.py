"""The event list's filters through the page: exactly the matching events, soonest first, with
the right count, in Japanese and English, for visitors and members."""

import re

from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import login

TITLE = re.compile(r'<h3 class="headline"><a href="/events/\d+">([^<]+)</a></h3>')


def titles(client, path: str) -> list[str]:
    answer = client.get(path)
    assert answer.status_code == 200
    return TITLE.findall(answer.get_data(as_text=True))


def fill(event, make_user) -> None:
    """Every frame of the event taken, by real registrations."""
    for frame in event.frames:
        for _ in range(frame.capacity):
            register_for_frame(make_user("member"), event.id, frame.id, {}, now_utc())
            db.session.commit()


def seminars_and_others(make_event, make_user) -> None:
    """Seminars with and without seats left, and events the seminar filter leaves out."""
    make_event(title="空席ありセミナー3", days=3)
    fill(make_event(title="満席セミナー", days=1, capacity=1), make_user)
    two = make_event(title="二枠の一方が空くセミナー2", days=2, frames=[
        dict(name="会場参加", capacity=1), dict(name="オンライン参加", capacity=5, mode="online"),
    ])  # fmt: skip
    fill(make_event(title="二枠とも満席のセミナー", days=4, frames=[
        dict(name="会場参加", capacity=1), dict(name="オンライン参加", capacity=1, mode="online"),
    ]), make_user)  # fmt: skip
    register_for_frame(make_user("member"), two.id, two.frames[0].id, {}, now_utc())
    db.session.commit()
    make_event(title="枠のないセミナー", days=5, frames=[])
    make_event(title="空席あり交流会", days=1.5, kind="exchange")
    make_event(title="会員限定の空席ありセミナー1", days=0.5, member_only=True)
    make_event(title="終わった空席ありセミナー", days=-2)


def test_seminars_with_seats_shows_exactly_those_soonest_first(client, make_event, make_user):
    seminars_and_others(make_event, make_user)
    assert titles(client, "/events/?kind=seminar&seats=1") == [
        "二枠の一方が空くセミナー2", "空席ありセミナー3",
    ]  # fmt: skip
    assert "2件のイベント" in client.get("/events/?kind=seminar&seats=1").get_data(as_text=True)


def test_seminars_with_seats_in_english_and_for_members(client, make_event, make_user):
    seminars_and_others(make_event, make_user)
    client.set_cookie("lang", "en")
    page = client.get("/events/?kind=seminar&seats=1").get_data(as_text=True)
    assert TITLE.findall(page) == ["二枠の一方が空くセミナー2", "空席ありセミナー3"]
    assert "Events found: 2" in page
    assert login(client, make_user("member")).status_code == 302
    assert titles(client, "/events/?kind=seminar&seats=1") == [
        "会員限定の空席ありセミナー1", "二枠の一方が空くセミナー2", "空席ありセミナー3",
    ]  # fmt: skip


def test_seats_with_the_other_filters(client, make_event, make_user):
    seminars_and_others(make_event, make_user)
    make_event(title="千代田支部の空席ありセミナー", days=6, unit="branch:chiyoda", format="online")
    assert titles(client, "/events/?seats=1") == [
        "空席あり交流会", "二枠の一方が空くセミナー2", "空席ありセミナー3",
        "千代田支部の空席ありセミナー",
    ]  # fmt: skip
    chiyoda = ["千代田支部の空席ありセミナー"]
    assert titles(client, "/events/?seats=1&unit=branch:chiyoda") == chiyoda
    assert titles(client, "/events/?seats=1&format=online&kind=seminar") == chiyoda
    assert titles(client, "/events/?seats=1&q=" + "二枠") == ["二枠の一方が空くセミナー2"]


def test_seats_counts_every_page_of_the_filtered_list(client, make_event, make_user):
    for i in range(32):
        make_event(title=f"空席あり{i:02d}", days=1 + i / 10)
    fill(make_event(title="満席の会", days=1.05, capacity=1), make_user)
    first = client.get("/events/?seats=1").get_data(as_text=True)
    assert TITLE.findall(first) == [f"空席あり{i:02d}" for i in range(30)]
    assert "32件のイベント" in first
    assert titles(client, "/events/?seats=1&page=2") == ["空席あり30", "空席あり31"]
