"""My Page recommends upcoming, open events by the company's fields of interest, section and
branch and by what the person came to before, each with a one-line reason; never one the
person has applied to, never a member-only one to a guest (booking/events/recommendations.py).

The clock stands at Wed 3 June 2026 09:30 JST.
"""

from __future__ import annotations

from datetime import timedelta

from booking.events.passes import check_in
from booking.events.recommendations import recommended_events
from booking.events.registrations import cancel_registration
from booking.extensions import db
from booking.org.services import unit_by_key
from booking.timefmt import now_utc
from tests.conftest import login
from tests.follows.conftest import register


def _found(user):
    return [(r.event.title, r.score, r.reason) for r in recommended_events(user, now_utc())]


def test_matches_are_weighed_and_the_heaviest_names_the_reason(member_of, make_event):
    user = member_of(section="industry", branch="chiyoda", interests=["section:ict"])
    make_event(title="支部の交流会", unit="branch:chiyoda", days=3)
    make_event(title="工業部会の見学会", unit="section:industry", days=5)
    make_event(title="DX入門", unit="hq", days=10, tags=[_unit("section:ict")])
    make_event(title="工場のIoT活用", unit="section:industry", days=20, tags=[_unit("section:ict")])
    make_event(title="港支部の勉強会", unit="branch:minato", days=4)
    db.session.commit()

    assert _found(user) == [
        ("工場のIoT活用", 7, "関心分野: 情報通信部会"),
        ("DX入門", 4, "関心分野: 情報通信部会"),
        ("工業部会の見学会", 3, "所属部会: 工業部会"),
        ("支部の交流会", 2, "支部: 千代田支部"),
    ]


def test_equal_scores_come_soonest_first(member_of, make_event):
    user = member_of(section="trade")
    make_event(title="後の回", unit="section:trade", days=9)
    make_event(title="先の回", unit="section:trade", days=2)
    assert [title for title, _s, _r in _found(user)] == ["先の回", "後の回"]


def test_events_the_person_cannot_or_need_not_apply_to_are_left_out(member_of, make_event, clock):
    user = member_of(section="trade")
    applied = make_event(title="申込済み", unit="section:trade", days=2)
    register(user, applied)
    dropped = make_event(title="取り消した回", unit="section:trade", days=3)
    cancel_registration(register(user, dropped), now_utc())
    db.session.commit()
    make_event(title="下書き", unit="section:trade", days=4, status="draft")
    make_event(title="締切済み", unit="section:trade", days=5,
               closes_at=now_utc() - timedelta(hours=1))  # fmt: skip
    make_event(title="満席", unit="section:trade", days=6, capacity=0, waitlist=False)
    make_event(title="キャンセル待ち可", unit="section:trade", days=7, capacity=0)
    make_event(title="開催中", unit="section:trade", days=-0.01)
    make_event(title="受付中", unit="section:trade", days=8)

    titles = [title for title, _s, _r in _found(user)]
    assert titles == ["取り消した回", "キャンセル待ち可", "受付中"]


def test_a_guest_is_never_offered_a_member_only_event(make_user, make_event):
    guest = make_user("guest")
    past = make_event(title="前回の港支部セミナー", unit="branch:minato", days=1)
    check_in(register(guest, past), now_utc())
    make_event(title="会員限定の懇親会", unit="branch:minato", days=10, member_only=True)
    make_event(title="公開セミナー", unit="branch:minato", days=12)
    assert [title for title, _s, _r in _found_at(guest, 2)] == ["公開セミナー"]


def test_past_attendance_counts_by_organiser_then_by_kind(make_user, make_event, clock):
    person = make_user("guest")
    came = make_event(title="港支部 事業承継セミナー", unit="branch:minato", days=1)
    check_in(register(person, came), now_utc())
    missed = make_event(title="欠席した交流会", unit="branch:koto", days=1, kind="exchange")
    register(person, missed)
    db.session.commit()
    make_event(title="港支部の次の回", unit="branch:minato", days=10, kind="exchange")
    make_event(title="本部のセミナー", unit="hq", days=9)
    make_event(title="江東支部の交流会", unit="branch:koto", days=8, kind="exchange")
    db.session.commit()

    assert _found_at(person, 2) == [
        ("港支部の次の回", 2, "以前の参加: 港支部 事業承継セミナー"),
        ("本部のセミナー", 1, "以前の参加: セミナー・講演会"),
    ]


def test_nothing_connects_a_new_guest_to_anything(make_user, make_event):
    make_event(title="どなたでも", unit="hq", days=3)
    assert _found(make_user("guest")) == []


def test_my_page_shows_the_recommendations_with_their_reason(app, member_of, make_event):
    user = member_of(section="industry", interests=["section:ict"])
    event = make_event(title="生成AI活用セミナー", unit="hq", days=6, tags=[_unit("section:ict")])
    client = app.test_client()
    login(client, user)

    page = client.get("/mypage/").get_data(as_text=True)
    section = page[page.index('id="recommended-heading"') :]
    assert "おすすめのイベント" in section
    assert f'href="/events/{event.id}"' in section and "生成AI活用セミナー" in section
    assert "関心分野: 情報通信部会" in section

    client.post("/lang/en")
    english = client.get("/mypage/").get_data(as_text=True)
    assert "Recommended events" in english
    assert "Field of interest: Information and Communications Section" in english


def test_my_page_has_no_recommendation_box_when_nothing_matches(member_client):
    page = member_client.get("/mypage/").get_data(as_text=True)
    assert "recommended-heading" not in page


def _found_at(user, days: float):
    """What is recommended `days` from now (after past events have ended)."""
    later = now_utc() + timedelta(days=days)
    return [(r.event.title, r.score, r.reason) for r in recommended_events(user, later)]


def _unit(key):
    return unit_by_key(key)
