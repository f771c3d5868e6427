"""Issue 13, the public event pages: result count, the grouped organiser select, fill-rate
bars, and the month calendar (weekends, public holidays, today, multi-day events, the
agenda list for phones)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from booking.events.models import EventSession
from booking.extensions import db


def test_the_list_says_how_many_events_it_found(client, make_event):
    for i in range(3):
        make_event(title=f"件数の会{i}", days=3 + i)
    html = client.get("/events/").get_data(as_text=True)
    assert "3件のイベント" in html
    html = client.get("/events/?q=件数の会1").get_data(as_text=True)
    assert "1件のイベント" in html


def test_the_count_covers_every_page_not_just_this_one(client, make_event):
    for i in range(32):
        make_event(title=f"多数の会{i}", days=3 + i / 10)
    first = client.get("/events/").get_data(as_text=True)
    assert "32件のイベント" in first
    assert "32件のイベント" in client.get("/events/?page=2").get_data(as_text=True)


def test_the_organiser_select_is_grouped_by_kind_of_unit(client):
    html = client.get("/events/").get_data(as_text=True)
    select = html[
        html.index('<select id="f-unit"') : html.index("</select>", html.index('id="f-unit"'))
    ]
    labels = re.findall(r'<optgroup label="([^"]+)">', select)
    assert labels == ["本部", "支部", "部会", "委員会", "グループ"]
    assert '<option value="branch:chiyoda"' in select


def test_every_card_and_frame_has_a_fill_rate_bar(client, make_event):
    event = make_event(capacity=10)
    event.frames[0].taken = 8
    db.session.commit()
    listing = client.get("/events/").get_data(as_text=True)
    assert 'class="fill is-high"' in listing and 'aria-label="80%"' in listing
    assert 'aria-label="80%"' in client.get("/").get_data(as_text=True)
    assert 'aria-label="80%"' in client.get(f"/events/{event.id}").get_data(as_text=True)


def _cell(html: str, day: int) -> str:
    """The month grid's cell of `day` (its <td …> … </td>)."""
    for match in re.finditer(r"<td class=\"([^\"]*)\"[^>]*>\s*<span class=\"daynum\">(\d+)</span>(.*?)</td>", html, re.S):  # fmt: skip
        if int(match.group(2)) == day:
            return match.group(0)
    raise AssertionError(f"no cell for day {day}")


def test_the_month_marks_weekends_holidays_and_today(client, clock):
    # The tests' clock: Wednesday 3 June 2026, 09:30 in Tokyo.
    june = client.get("/events/?view=month&month=2026-06").get_data(as_text=True)
    today = _cell(june, 3)
    assert "today" in today and 'aria-current="date"' in today and "今日" in today
    assert 'class="sun' in _cell(june, 7) and 'class="sat' in _cell(june, 6)
    assert "today" not in _cell(june, 4)
    july = client.get("/events/?view=month&month=2026-07").get_data(as_text=True)
    assert "2026年7月" in july and '<th scope="col" class="sun">日</th>' in july
    umi = _cell(july, 20)  # 海の日, the third Monday of July
    assert "holiday" in umi and "海の日" in umi
    assert "holiday" not in _cell(july, 21)
    assert "today" not in july
    clock.move_to(datetime(2026, 7, 20, 3, 0, tzinfo=UTC))
    july = client.get("/events/?view=month&month=2026-07").get_data(as_text=True)
    assert "today" in _cell(july, 20)


def test_holidays_read_as_holiday_in_english(client):
    client.post("/lang/en", data={"next": "/"})
    july = client.get("/events/?view=month&month=2026-07").get_data(as_text=True)
    assert "Holiday" in _cell(july, 20) and "海の日" not in july
    assert "July 2026" in july and '<th scope="col" class="sun">Sun</th>' in july


def test_a_multi_day_event_shows_on_every_day_it_runs(client, make_event):
    # 3 days from Wednesday 10 June 2026 10:00 to Friday 12 June 17:00 (Tokyo).
    event = make_event(title="三日間の展示会", days=7)
    event.starts_at = datetime(2026, 6, 10, 1, 0, tzinfo=UTC)
    event.ends_at = datetime(2026, 6, 12, 8, 0, tzinfo=UTC)
    db.session.commit()
    html = client.get("/events/?view=month&month=2026-06").get_data(as_text=True)
    for day in (10, 11, 12):
        assert "三日間の展示会" in _cell(html, day), day
    assert "三日間の展示会" not in _cell(html, 9) and "三日間の展示会" not in _cell(html, 13)
    assert "続き" in _cell(html, 11) and "10:00" in _cell(html, 10)


def test_a_series_shows_on_its_session_days_only(client, make_event):
    event = make_event(title="連続講座の会", days=7)
    start = datetime(2026, 6, 10, 1, 0, tzinfo=UTC)
    event.sessions = [
        EventSession(starts_at=start, ends_at=start + timedelta(hours=2)),
        EventSession(starts_at=start + timedelta(days=7), ends_at=start + timedelta(days=7, hours=2)),
    ]  # fmt: skip
    event.starts_at, event.ends_at = start, start + timedelta(days=7, hours=2)
    db.session.commit()
    html = client.get("/events/?view=month&month=2026-06").get_data(as_text=True)
    assert "連続講座の会" in _cell(html, 10) and "連続講座の会" in _cell(html, 17)
    assert "連続講座の会" not in _cell(html, 12)


def test_the_month_has_an_agenda_list_for_phones(client, make_event):
    make_event(title="アジェンダの会", days=7)
    html = client.get("/events/?view=month&month=2026-06").get_data(as_text=True)
    agenda = html[html.index('class="month-agenda"') :]
    assert "アジェンダの会" in agenda and "6月10日(水)" in agenda


def test_the_nav_reaches_the_calendar_branches_and_feeds(client):
    html = client.get("/").get_data(as_text=True)
    nav = html[
        html.index('class="main-nav"') : html.index("</nav>", html.index('class="main-nav"'))
    ]
    assert 'href="/events/?view=month"' in nav and 'href="/branches/"' in nav
    assert 'href="/calendar/"' in html


def test_a_japanese_headline_breaks_between_phrases(client, make_event):
    event = make_event(title="イノベーション創出連続セミナー（全3回）")
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert '<h1 class="headline">イノベーション創出連続セミナー<wbr>（全3回）</h1>' in html


def test_the_week_view_shows_seven_days_with_weekend_holiday_and_today(client, make_event, clock):
    from datetime import datetime

    from booking.timefmt import local_zone

    # Wednesday 15 July 2026; Monday 20 July is 海の日 (a public holiday).
    clock.move_to(datetime(2026, 7, 15, 9, 30, tzinfo=local_zone()))
    make_event(title="週の交流会", starts_at=datetime(2026, 7, 16, 18, 0, tzinfo=local_zone()))
    make_event(title="翌週の講座", starts_at=datetime(2026, 7, 20, 14, 0, tzinfo=local_zone()))
    page = client.get("/events/?view=week").get_data(as_text=True)
    assert "この週のイベント 1件" in page and "週の交流会" in page and "翌週の講座" not in page
    assert page.count('class="agenda-day"') == 7  # Sunday 12 to Saturday 18 July
    assert 'aria-current="date"' in page and "今日" in page
    following = client.get("/events/?view=week&week=2026-07-19").get_data(as_text=True)
    assert "翌週の講座" in following and "海の日" in following


def test_a_far_off_or_typed_week_shows_this_week(client):
    for week in ("9999-12-31", "0001-01-01", "来週"):
        answer = client.get(f"/events/?view=week&week={week}")
        assert answer.status_code == 200 and "この週のイベント" in answer.get_data(as_text=True)
