"""Staff tools: create, publish, cancel, capacity, attendees, CSV, check-in, messages, closures."""

import csv
import io
from datetime import timedelta

from sqlalchemy import select

from booking.accounts.models import Company
from booking.events.models import Event
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.notifications.models import OutboxMessage
from booking.timefmt import as_utc, now_utc, to_local
from tests.conftest import login


def _register(user, event, frame=None):
    reg = register_for_frame(user, event.id, (frame or event.frames[0]).id, {}, now_utc())
    db.session.commit()
    return reg


def _local(dt):
    return to_local(dt).strftime("%Y-%m-%dT%H:%M")


def test_staff_create_and_publish_an_event_from_the_form(staff_client):
    start = now_utc() + timedelta(days=20)
    response = staff_client.post("/staff/events/new", data={
        "title": "事業承継セミナー", "kind": "seminar", "unit": "hq", "format": "hybrid",
        "starts_at": _local(start), "ends_at": _local(start + timedelta(hours=2)),
        "venue_name": "本部 会議室", "venue_capacity": "40", "venue_audience": "all",
        "online_capacity": "200", "online_audience": "all", "online_url": "https://meet.example.jp/x",
        "questions": "*業種: 製造 / 小売\n[ ] 懇親会に参加する\nご質問", "publish": "1",
    })  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    event = db.session.scalar(select(Event).where(Event.title == "事業承継セミナー"))
    assert event.status == "published"
    assert [(f.name, f.capacity) for f in event.frames] == [
        ("会場参加", 40),
        ("オンライン参加", 200),
    ]
    assert [(q.kind, q.required) for q in event.questions] == [
        ("choice", True),
        ("checkbox", False),
        ("text", False),
    ]


def test_a_bad_event_form_rerenders_with_422(staff_client):
    response = staff_client.post(
        "/staff/events/new", data={"title": "", "kind": "seminar", "unit": "hq"}
    )
    assert response.status_code == 422


def test_branch_staff_see_only_their_units_events(client, make_user, make_event):
    mine = make_event(title="千代田の会", unit="branch:chiyoda")
    other = make_event(title="港の会", unit="branch:minato")
    branch_staff = make_user("staff", unit_key="branch:chiyoda")
    login(client, branch_staff)
    html = client.get("/staff/events/").get_data(as_text=True)
    assert "千代田の会" in html and "港の会" not in html
    assert client.get(f"/staff/events/{mine.id}").status_code == 200
    assert client.get(f"/staff/events/{other.id}").status_code == 404


def test_members_cannot_reach_staff_tools(member_client, make_event):
    event = make_event()
    assert member_client.get("/staff/events/").status_code == 404
    assert member_client.get(f"/staff/events/{event.id}/attendees.csv").status_code == 404


def test_cancelling_an_event_asks_then_notifies_everyone(staff_client, make_event, make_user):
    event = make_event(capacity=1)
    a, b = _register(make_user("member"), event), _register(make_user("member"), event)
    assert staff_client.get(f"/staff/events/{event.id}/cancel").status_code == 200
    assert event.status == "published"
    staff_client.post(f"/staff/events/{event.id}/cancel")
    assert event.status == "cancelled" and a.status == b.status == "cancelled"
    keys = db.session.scalars(
        select(OutboxMessage.dedupe_key).where(OutboxMessage.template == "event_notice")
    ).all()
    assert any(k.startswith(f"registration:{a.id}:event_cancelled") for k in keys)
    assert any(k.startswith(f"registration:{b.id}:event_cancelled") for k in keys)


def test_capacity_change_below_confirmed_is_refused_with_a_message(
    staff_client, make_event, make_user
):
    event = make_event(capacity=2)
    _register(make_user("member"), event)
    _register(make_user("member"), event)
    frame = event.frames[0]
    response = staff_client.post(
        f"/staff/events/{event.id}/frames/{frame.id}/capacity", data={"capacity": "1"}
    )
    assert response.status_code == 303
    page = staff_client.get(f"/staff/events/{event.id}").get_data(as_text=True)
    assert "確定済みの2名より少なくできません" in page
    assert frame.capacity == 2


def test_attendees_are_sorted_by_furigana(staff_client, make_event, make_user):
    event = make_event()
    _register(make_user("member", family_name="渡辺", family_kana="ワタナベ"), event)
    _register(make_user("member", family_name="青木", family_kana="アオキ"), event)
    html = staff_client.get(f"/staff/events/{event.id}/attendees").get_data(as_text=True)
    assert html.index("アオキ") < html.index("ワタナベ")


def test_the_csv_opens_in_excel_and_is_formula_safe(staff_client, make_event, make_user):
    event = make_event(questions=[dict(label="ご質問", kind="text")])
    user = make_user("member", family_name='=HYPERLINK("x")')
    register_for_frame(
        user, event.id, event.frames[0].id, {event.questions[0].key: "+SUM(A1)"}, now_utc()
    )
    db.session.commit()
    response = staff_client.get(f"/staff/events/{event.id}/attendees.csv")
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][0] == "受付番号" and rows[0][-1] == "ご質問"
    assert len(rows) == 2
    assert rows[1][3].startswith("'=") and rows[1][-1] == "'+SUM(A1)"


def test_the_csv_neutralises_typed_formulas_in_every_column(staff_client, make_event, make_user):
    event = make_event(questions=[dict(label="@ご質問", kind="text")])
    company = Company(name="@SUM(1+1)*cmd", member_no="-1+1")
    user = make_user("member", company=company, family_name="=HYPERLINK(\"http://x\",\"y\")",
                     family_kana="ヤマダ", phone="+81-3-1234-5678")  # fmt: skip
    register_for_frame(
        user, event.id, event.frames[0].id, {event.questions[0].key: "-2+3"}, now_utc()
    )
    db.session.commit()
    response = staff_client.get(f"/staff/events/{event.id}/attendees.csv")
    [header, row] = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert header[-1] == "'@ご質問"
    assert row[3].startswith("'=HYPERLINK(") and row[5] == "'@SUM(1+1)*cmd"
    assert row[6] == "'-1+1" and row[8] == "'+81-3-1234-5678" and row[-1] == "'-2+3"
    assert not [c for c in header + row if c and c[0] in "=+-@\t\r"]


def test_an_english_staff_member_gets_english_csv_headers(client, make_event, make_user):
    event = make_event()
    _register(make_user("member"), event)
    english = make_user("staff")
    english.locale = "en"
    db.session.commit()
    login(client, english)
    response = client.get(f"/staff/events/{event.id}/attendees.csv")
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="attendees-')
    [header, row] = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert header[:3] == ["Reference number", "Status", "Option"] and row[1] == "Confirmed"
    assert not any("\u3040" <= ch <= "\u30ff" for ch in "".join(header))


def test_door_check_in_by_qr_token_warns_on_a_second_scan(
    staff_client, make_event, member, clock
):  # fmt: skip
    event = make_event()
    reg = _register(member, event)
    clock.move_to(as_utc(event.starts_at))
    first = staff_client.post(f"/staff/events/{event.id}/checkin", data={"token": reg.pass_token})
    assert "受付しました" in first.get_data(as_text=True) and reg.checked_in_at
    second = staff_client.post(f"/staff/events/{event.id}/checkin", data={"token": reg.pass_token})
    assert "既に受付済み" in second.get_data(as_text=True)
    unknown = staff_client.post(f"/staff/events/{event.id}/checkin", data={"token": "nope"})
    assert "参加証ではありません" in unknown.get_data(as_text=True)


def test_check_in_by_name_search(staff_client, make_event, make_user, clock):
    event = make_event()
    reg = _register(make_user("member", family_name="佐藤", family_kana="サトウ"), event)
    clock.move_to(as_utc(event.starts_at))
    html = staff_client.get(f"/staff/events/{event.id}/checkin?q=さとう").get_data(as_text=True)
    assert reg.reference in html
    staff_client.post(f"/staff/events/{event.id}/checkin", data={"reg_id": str(reg.id)})
    assert reg.checked_in_at is not None


def test_a_pass_of_another_event_is_refused_at_the_door(staff_client, make_event, member):
    other = make_event(title="別の会")
    reg = _register(member, other)
    event = make_event()
    html = staff_client.post(
        f"/staff/events/{event.id}/checkin", data={"token": reg.pass_token}
    ).get_data(as_text=True)
    assert "参加証ではありません" in html and reg.checked_in_at is None


def test_messages_reach_every_attendee_of_a_status(staff_client, make_event, make_user):
    event = make_event(capacity=1)
    confirmed = _register(make_user("member"), event)
    _register(make_user("member"), event)
    staff_client.post(f"/staff/events/{event.id}/message", data={
        "subject": "持ち物のご案内", "body": "名刺をお持ちください。", "frame": "", "status": "confirmed",
    })  # fmt: skip
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key.contains(":message:"))
    ).all()
    assert [m.about for m in messages] == [f"registration:{confirmed.id}"]


def test_moving_online_moves_people_and_notifies(staff_client, make_event, member):
    event = make_event(format="hybrid", frames=[
        dict(name="会場参加", capacity=10, mode="in_person"), dict(name="オンライン参加", capacity=100, mode="online"),
    ])  # fmt: skip
    reg = _register(member, event)
    staff_client.post(
        f"/staff/events/{event.id}/move-online",
        data={"online_url": "https://meet.example.jp/typhoon"},
    )
    db.session.refresh(reg)
    assert event.format == "online" and reg.frame.mode == "online" and reg.sequence == 1
    assert event.frames[1].taken == 1 and event.frames[0].capacity == 0
    change = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == f"registration:{reg.id}:changed:1")
    )
    assert change is not None and change.invite == "REQUEST"
    assert change.context["join_url"] == "https://meet.example.jp/typhoon"


def test_rescheduling_retimes_reminders(staff_client, make_event, member):
    event = make_event(days=10)
    reg = _register(member, event)
    new_start = event.starts_at + timedelta(days=3)
    staff_client.post(f"/staff/events/{event.id}/reschedule", data={
        "starts_at": _local(new_start), "ends_at": _local(new_start + timedelta(hours=2)),
    })  # fmt: skip
    reminder = db.session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.dedupe_key == f"reminder:registration:{reg.id}:P1D"
        )
    )
    expected = as_utc(new_start).replace(second=0, microsecond=0) - timedelta(days=1)
    assert as_utc(reminder.due_at) == expected
    assert reminder.about_version == reg.sequence == 1


def test_lottery_from_the_staff_page_records_a_seed_the_system_drew(
    staff_client, make_event, make_user
):  # fmt: skip
    event = make_event(capacity=1, lottery=True, closes_at=now_utc() + timedelta(minutes=5))
    regs = [_register(make_user("member"), event) for _ in range(3)]
    event.frames[0].closes_at = now_utc() - timedelta(seconds=1)
    db.session.commit()
    staff_client.post(
        f"/staff/events/{event.id}/frames/{event.frames[0].id}/lottery", data={"seed": "abc123"}
    )
    seed = event.frames[0].lottery_seed
    assert seed and seed != "abc123"  # a seed typed in is never used
    assert sorted(r.status for r in regs) == ["confirmed", "waitlisted", "waitlisted"]
    replay = staff_client.get(
        f"/staff/events/{event.id}/frames/{event.frames[0].id}/lottery/replay"
    )
    assert replay.status_code == 200 and seed in replay.get_data(as_text=True)


def test_editing_the_time_announces_the_change(staff_client, make_event, member):
    event = make_event(days=10)
    reg = _register(member, event)
    page = staff_client.get(f"/staff/events/{event.id}/edit")
    assert page.status_code == 200 and event.title in page.get_data(as_text=True)
    new_start = event.starts_at + timedelta(days=2)
    response = staff_client.post(f"/staff/events/{event.id}/edit", data={
        "title": "新しい題名", "kind": "seminar", "unit": "hq", "format": "in_person",
        "starts_at": _local(new_start), "ends_at": _local(new_start + timedelta(hours=2)),
        "venue_name": event.venue_name, "venue_address": event.venue_address,
    })  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 302, html[
        html.find("error-summary") : html.find("error-summary") + 600
    ]
    assert event.title == "新しい題名" and event.sequence == 1
    assert db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == f"registration:{reg.id}:changed:1")
    )


def test_tags_link_an_event_to_sections_and_the_list_filter(staff_client, client):
    start = now_utc() + timedelta(days=20)
    staff_client.post("/staff/events/new", data={
        "title": "建設業向けBCP講座", "kind": "seminar", "unit": "hq", "format": "in_person",
        "starts_at": _local(start), "ends_at": _local(start + timedelta(hours=2)),
        "venue_capacity": "30", "venue_audience": "all", "online_audience": "all",
        "tags": ["section:construction"], "publish": "1",
    })  # fmt: skip
    event = db.session.scalar(select(Event).where(Event.title == "建設業向けBCP講座"))
    assert [t.key for t in event.tags] == ["section:construction"]
    html = staff_client.get("/events/?unit=section:construction").get_data(as_text=True)
    assert "建設業向けBCP講座" in html
