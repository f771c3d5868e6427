"""Staff exhibition pages: the list, set-up and rules, the per-exhibition dashboard and its
figures, and the panel on the staff dashboard."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event as sa_event

from booking.events.models import Event
from booking.events.registrations import register_for_frame
from booking.exhibitions.booths.services import assign_booth
from booking.exhibitions.models import Booth, Entry, Exhibition, Meeting
from booking.exhibitions.staff.dashboard import exhibition_figures
from booking.extensions import db
from booking.org.services import unit_by_key
from booking.timefmt import now_utc


def _exhibition_event(title: str = "支部合同ビジネスフェア", kind: str = "exhibition") -> Event:
    start = now_utc() + timedelta(days=40)
    event = Event(title=title, kind=kind, format="in_person", unit=unit_by_key("hq"),
                  starts_at=start, ends_at=start + timedelta(hours=7), status="draft")  # fmt: skip
    db.session.add(event)
    db.session.commit()
    return event


def _settings(**over) -> dict:
    data = {"applications_open_at": "2026-01-05T09:00", "applications_close_at": "2026-02-27T17:00",
            "exhibitor_limit": "120", "meeting_minutes": "20", "meeting_buffer_minutes": "10",
            "meeting_notice_minutes": "30", "entrances": "東口\n\n西口\n東口\n南口",
            "map_columns": "30"}  # fmt: skip
    data.update(over)
    return data


def test_staff_set_up_an_exhibition_for_an_exhibition_event(staff_client):
    event = _exhibition_event()
    seminar = _exhibition_event("経営セミナー", kind="seminar")
    form = staff_client.get("/staff/exhibitions/new")
    assert event.title in form.text and seminar.title not in form.text
    answer = staff_client.post("/staff/exhibitions/new", data=_settings(event=event.id))
    assert answer.status_code == 302
    exhibition = db.session.query(Exhibition).filter_by(event_id=event.id).one()
    assert exhibition.entrances == ["東口", "西口", "南口"]  # blanks and repeats dropped
    assert (exhibition.exhibitor_limit, exhibition.meeting_minutes, exhibition.map_columns) == (
        120,
        20,
        30,
    )
    assert exhibition.applications_open_at.isoformat().startswith("2026-01-05T00:00")  # 09:00 JST
    # The event now has its exhibition: it is no longer offered.
    assert event.title not in staff_client.get("/staff/exhibitions/new").text


def test_setting_up_refuses_a_window_that_closes_before_it_opens(staff_client):
    event = _exhibition_event()
    answer = staff_client.post(
        "/staff/exhibitions/new",
        data=_settings(event=event.id, applications_close_at="2026-01-01T09:00"),
    )
    assert answer.status_code == 422
    assert "締切は受付開始より後にしてください。" in answer.text
    assert db.session.query(Exhibition).count() == 0


def test_another_kind_of_event_cannot_be_chosen(staff_client):
    seminar = _exhibition_event("経営セミナー", kind="seminar")
    answer = staff_client.post("/staff/exhibitions/new", data=_settings(event=seminar.id))
    assert answer.status_code == 422
    assert db.session.query(Exhibition).count() == 0


def test_staff_change_the_rules_but_not_below_the_accepted(make_fair, make_exhibitor, staff_client):
    fair = make_fair()
    make_exhibitor(fair)
    make_exhibitor(fair)
    url = f"/staff/exhibitions/{fair.id}/edit"
    assert "東口\n西口" in staff_client.get(url).text
    too_low = staff_client.post(url, data=_settings(exhibitor_limit="1"))
    assert too_low.status_code == 422
    assert "承認済みの出展者（2社）より少なくはできません。" in too_low.text
    assert staff_client.post(url, data=_settings(exhibitor_limit="2")).status_code == 302
    db.session.refresh(fair.exhibition)
    assert fair.exhibition.exhibitor_limit == 2 and fair.exhibition.meeting_buffer_minutes == 10


def test_the_index_lists_exhibitions_with_applications_to_review(
    make_fair, make_exhibitor, staff_client
):
    fair = make_fair()
    make_exhibitor(fair, status="applied")
    make_exhibitor(fair, status="applied")
    make_exhibitor(fair, status="accepted")
    page = staff_client.get("/staff/exhibitions/")
    assert page.status_code == 200 and "中小企業マーケットTOKYO" in page.text
    row = page.text[page.text.index("中小企業マーケットTOKYO") :]
    assert '<td class="num">2</td>' in row and '<td class="num">1</td>' in row


def test_exhibition_pages_are_for_staff_only(make_fair, member_client):
    fair = make_fair()
    for url in ("/staff/exhibitions/", "/staff/exhibitions/new", f"/staff/exhibitions/{fair.id}",
                f"/staff/exhibitions/{fair.id}/edit"):  # fmt: skip
        assert member_client.get(url).status_code == 404, url


def _fill(fair, make_exhibitor, make_user, staff):
    """Two accepted exhibitors with booths, one applied; three visitors, entries, meetings."""
    ex1, _ = make_exhibitor(fair)
    ex2, _ = make_exhibitor(fair)
    make_exhibitor(fair, status="applied")
    for exhibitor, code in ((ex1, "A-01"), (ex2, "B-03")):
        booth = db.session.query(Booth).filter_by(exhibition_id=fair.id, code=code).one()
        assign_booth(fair.exhibition, booth.id, exhibitor.id, staff, now_utc())
    venue, online = fair.event.frames
    visitors = [make_user("member") for _ in range(3)]
    regs = [register_for_frame(v, fair.event.id, venue.id, {}, now_utc()) for v in visitors[:2]]
    register_for_frame(visitors[2], fair.event.id, online.id, {}, now_utc())
    day1, day2 = fair.days
    db.session.add_all([
        Entry(exhibition_id=fair.id, registration_id=regs[0].id, day=day1, entrance="東口"),
        Entry(exhibition_id=fair.id, registration_id=regs[1].id, day=day1, entrance="西口"),
        Entry(exhibition_id=fair.id, registration_id=regs[0].id, day=day2, entrance="東口"),
    ])  # fmt: skip
    start = now_utc() + timedelta(days=14)
    for status in ("booked", "booked", "cancelled"):
        db.session.add(Meeting(exhibition_id=fair.id, exhibitor_id=ex1.id, visitor_id=visitors[0].id,
                               starts_at=start, ends_at=start + timedelta(minutes=30), status=status))  # fmt: skip
        start += timedelta(hours=1)
    db.session.commit()


def test_the_figures_count_everything_in_four_queries(make_fair, make_exhibitor, make_user, staff):
    fair = make_fair()
    _fill(fair, make_exhibitor, make_user, staff)
    db.session.expire_all()
    exhibition = db.session.get(Exhibition, fair.id)
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa_event.listen(db.engine, "before_cursor_execute", listener)
    try:
        figures = exhibition_figures(exhibition)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 4
    assert figures.applications["accepted"] == 2 and figures.applications["applied"] == 1
    assert (figures.booths_assigned, figures.booths_total) == (2, 12)
    assert [(f.name, f.confirmed) for f in figures.frames] == [
        ("会場来場", 2),
        ("オンライン来場", 1),
    ]
    assert figures.visitors == 3
    day1, day2 = fair.days
    assert figures.entries == {day1: {"東口": 1, "西口": 1}, day2: {"東口": 1}}
    assert figures.entries_at("東口") == 2 and figures.entries_total == 3
    assert figures.meetings_booked == 2


def test_the_dashboard_page_shows_the_figures(
    make_fair, make_exhibitor, make_user, staff, staff_client
):
    fair = make_fair()
    _fill(fair, make_exhibitor, make_user, staff)
    page = staff_client.get(f"/staff/exhibitions/{fair.id}")
    assert page.status_code == 200
    text = page.text
    assert "2 / 12" in text  # booths assigned / total
    assert "入場者数（日別・入口別）" in text and '<th scope="col" class="num">西口</th>' in text
    assert '<th scope="row">会場来場</th><td class="num">10000</td><td class="num">2</td>' in text
    meetings = text[text.index("meetings-heading") :]
    assert '<p class="big-number num">2</p>' in meetings


def test_the_staff_dashboard_has_an_exhibitions_panel(make_fair, make_exhibitor, staff_client):
    fair = make_fair()
    make_exhibitor(fair, status="applied")
    page = staff_client.get("/staff/")
    assert page.status_code == 200
    assert "審査待ち1件" in page.text
    assert f'href="/staff/exhibitions/{fair.id}"' in page.text
