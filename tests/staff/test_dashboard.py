"""The staff dashboard: every event linked to its staff page, its confirmed / capacity bar,
waitlist and lottery applications, today's check-ins; empty panels say what belongs there;
a fixed number of queries whatever the number of events.

Real registrations (`register_for_frame`) and the real check-in page.
"""

from __future__ import annotations

import re

from sqlalchemy import event as sa_event

from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import login


def _shown(html: str) -> str:
    return " ".join(re.sub(r"<[^>]*>", " ", html).split())


def _register(event, user, frame=0):
    reg = register_for_frame(user, event.id, event.frames[frame].id, {}, now_utc())
    db.session.commit()
    return reg


def test_every_event_links_to_its_staff_page_with_its_fill(staff_client, make_event, make_user):
    event = make_event(title="創業塾", capacity=2)
    for _ in range(3):
        _register(event, make_user("member"))  # two seats, then the waitlist
    html = staff_client.get("/staff/").get_data(as_text=True)
    assert f'<a class="fill-title" href="/staff/events/{event.id}">創業塾</a>' in html
    text = _shown(html)
    assert "確定 2 / 定員 2名" in text and "キャンセル待ち 1名" in text
    assert 'role="img" aria-label="100%"' in html  # the bar


def test_a_lottery_event_shows_its_applications(staff_client, make_event, make_user):
    event = make_event(title="抽選の会", capacity=5, lottery=True)
    for _ in range(2):
        _register(event, make_user("member"))
    text = _shown(staff_client.get("/staff/").get_data(as_text=True))
    assert "抽選申込 2名" in text and "確定 0 / 定員 5名" in text


def test_todays_check_ins_are_counted_per_event(staff_client, make_event, make_user):
    event = make_event(title="本日のセミナー", days=0.05)  # later this morning
    regs = [_register(event, make_user("member")) for _ in range(3)]
    for reg in regs[:2]:
        response = staff_client.post(f"/staff/events/{event.id}/checkin", data={"reg_id": reg.id})
        assert response.status_code == 200
    html = staff_client.get("/staff/").get_data(as_text=True)
    text = _shown(html)
    assert "本日受付 2名" in text
    assert "受付 2名 / 確定 3名" in text  # the panel of today's doors
    assert f'href="/staff/events/{event.id}/checkin"' in html


def test_empty_panels_say_what_belongs_there(staff_client):
    text = _shown(staff_client.get("/staff/").get_data(as_text=True))
    assert "今後のイベントはありません。イベントを作成すると" in text
    assert "本日開催のイベントはありません。開催日には" in text
    assert "送信できなかったメールはありません。" in text


def test_past_and_cancelled_events_are_left_out(staff_client, make_event):
    make_event(title="先月の会", days=-30)
    make_event(title="中止の会", status="cancelled")
    make_event(title="来週の会")
    text = _shown(staff_client.get("/staff/").get_data(as_text=True))
    assert "来週の会" in text and "先月の会" not in text and "中止の会" not in text


def test_branch_staff_see_their_units_events_only(client, make_user, make_event):
    make_event(title="本部の会", unit="hq")
    make_event(title="千代田支部の会", unit="branch:chiyoda")
    login(client, make_user("staff", unit_key="branch:chiyoda"))
    text = _shown(client.get("/staff/").get_data(as_text=True))
    assert "千代田支部の会" in text and "本部の会" not in text


def test_drafts_are_shown_and_marked(staff_client, make_event):
    make_event(title="準備中の会", status="draft")
    text = _shown(staff_client.get("/staff/").get_data(as_text=True))
    assert "準備中の会" in text and "下書き" in text


def test_the_dashboard_in_english(staff_client, make_event, make_user):
    event = make_event(title="Networking", capacity=10)
    _register(event, make_user("member"))
    staff_client.post("/lang/en", data={"next": "/"})
    text = _shown(staff_client.get("/staff/").get_data(as_text=True))
    assert "1 confirmed / 10 places" in text and "Waitlist 0" in text


def test_the_number_of_queries_does_not_grow_with_events(staff_client, make_event, make_user):
    def count_queries() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa_event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert staff_client.get("/staff/").status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    first = make_event(title="一件目", days=0.05, lottery=True)
    _register(first, make_user("member"))
    few = count_queries()
    for i in range(12):
        event = make_event(
            title=f"追加{i}", days=0.05 + i, unit="branch:chiyoda" if i % 2 else "hq"
        )
        _register(event, make_user("member"))
    assert count_queries() == few
