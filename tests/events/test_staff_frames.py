"""Frames after creation, from the staff pages: add, edit, reorder, close, delete; capacity
rules; the event's version check of concurrent edits."""

from datetime import timedelta

from sqlalchemy import select

from booking.events.models import Event, Frame, Registration
from booking.events.registrations import cancel_registration, register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc, to_local
from tests.conftest import login


def _register(user, event, frame=None):
    reg = register_for_frame(user, event.id, (frame or event.frames[0]).id, {}, now_utc())
    db.session.commit()
    return reg


def _local(dt):
    return to_local(dt).strftime("%Y-%m-%dT%H:%M")


def frame_form(event, **over):
    data = {
        "name": "オンライン参加", "mode": "online", "capacity": "100", "audience": "all",
        "price_label": "無料", "opens_at": "", "closes_at": "", "per_company_limit": "",
        "waitlist": "y", "version": str(event.version),
    }  # fmt: skip
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def _frames(event_id):
    db.session.expire_all()
    return db.session.get(Event, event_id).frames


def test_staff_add_a_frame_and_it_is_offered_at_once(staff_client, make_event):
    event = make_event(capacity=30)
    page = staff_client.get(f"/staff/events/{event.id}/frames")
    assert page.status_code == 200 and "参加枠を追加する" in page.get_data(as_text=True)
    response = staff_client.post(f"/staff/events/{event.id}/frames/new", data=frame_form(event))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    frames = _frames(event.id)
    assert [(f.name, f.mode, f.capacity, f.position) for f in frames] == [
        ("会場参加", "in_person", 30, 0),
        ("オンライン参加", "online", 100, 1),
    ]
    assert "オンライン参加" in staff_client.get(f"/events/{event.id}").get_data(as_text=True)


def test_a_bad_frame_form_keeps_what_was_typed_and_says_why(staff_client, make_event):
    event = make_event()
    response = staff_client.post(
        f"/staff/events/{event.id}/frames/new",
        data=frame_form(event, name="", capacity="abc", lottery="y", price_label="会員 3,000円"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "会員 3,000円" in html and "抽選にする場合は締切を入力してください。" in html
    assert len(_frames(event.id)) == 1


def test_edit_every_field_of_a_frame(staff_client, make_event):
    event = make_event(capacity=10)
    frame = event.frames[0]
    closes = now_utc() + timedelta(days=3)
    form = frame_form(
        event, name="会場参加（会員）", mode="in_person", capacity="12", audience="members",
        price_label="3,000円", closes_at=_local(closes), per_company_limit="2", waitlist=None,
        lottery="y",
    )  # fmt: skip
    response = staff_client.post(f"/staff/events/{event.id}/frames/{frame.id}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    [frame] = _frames(event.id)
    assert (frame.name, frame.capacity, frame.audience, frame.price_label) == (
        "会場参加（会員）", 12, "members", "3,000円",
    )  # fmt: skip
    assert (frame.per_company_limit, frame.waitlist, frame.lottery) == (2, False, True)
    assert frame.closes_at is not None


def test_capacity_below_the_confirmed_count_is_refused_with_the_reason(
    staff_client, make_event, make_user
):
    event = make_event(capacity=3)
    for _ in range(3):
        _register(make_user("member"), event)
    frame = event.frames[0]
    response = staff_client.post(
        f"/staff/events/{event.id}/frames/{frame.id}/edit",
        data=frame_form(event, name="会場参加", mode="in_person", capacity="2"),
    )
    assert response.status_code == 422
    assert "定員は確定済みの3名より少なくできません。" in response.get_data(as_text=True)
    assert _frames(event.id)[0].capacity == 3


def test_raising_capacity_promotes_the_waitlist_in_order(staff_client, make_event, make_user):
    event = make_event(capacity=1)
    _register(make_user("member"), event)
    first, second, third = (_register(make_user("member"), event) for _ in range(3))
    frame = event.frames[0]
    response = staff_client.post(
        f"/staff/events/{event.id}/frames/{frame.id}/edit",
        data=frame_form(event, name="会場参加", mode="in_person", capacity="3"),
    )
    assert response.status_code == 302
    statuses = {r.id: r.status for r in db.session.scalars(select(Registration))}
    assert (statuses[first.id], statuses[second.id], statuses[third.id]) == (
        "confirmed", "confirmed", "waitlisted",
    )  # fmt: skip
    assert _frames(event.id)[0].taken == 3


def test_a_frame_with_registrations_is_closed_not_deleted(
    staff_client, make_event, make_user, member
):
    event = make_event(frames=[dict(name="会場参加", capacity=5), dict(name="オンライン", capacity=5,
                                                                       mode="online")])  # fmt: skip
    used, empty = event.frames
    reg = _register(make_user("member"), event, used)
    cancel_registration(reg, now_utc())  # a cancelled registration still counts as history
    db.session.commit()
    page = staff_client.get(f"/staff/events/{event.id}/frames").get_data(as_text=True)
    assert "申込のある参加枠は削除できません" in page
    response = staff_client.post(
        f"/staff/events/{event.id}/frames/{used.id}/delete", data={"version": event.version}
    )
    assert response.status_code == 303
    page = staff_client.get(f"/staff/events/{event.id}/frames").get_data(as_text=True)
    assert "申込のある参加枠は削除できません。受付を締め切る場合は" in page
    assert len(_frames(event.id)) == 2

    version = db.session.get(Event, event.id).version
    staff_client.post(f"/staff/events/{event.id}/frames/{used.id}/close", data={"version": version})
    assert db.session.get(Frame, used.id).closed_at is not None
    login(staff_client, member)
    html = staff_client.get(f"/events/{event.id}/register").get_data(as_text=True)
    assert f'value="{used.id}"' not in html and f'value="{empty.id}"' in html


def test_closing_reopening_and_deleting_an_unused_frame(staff_client, make_event):
    event = make_event(frames=[dict(name="A", capacity=5), dict(name="B", capacity=5)])
    _a, b = event.frames
    version = event.version
    assert (
        staff_client.post(
            f"/staff/events/{event.id}/frames/{b.id}/close", data={"version": version}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Frame, b.id).closed_at is not None
    version = db.session.get(Event, event.id).version
    staff_client.post(f"/staff/events/{event.id}/frames/{b.id}/reopen", data={"version": version})
    db.session.expire_all()
    assert db.session.get(Frame, b.id).closed_at is None
    version = db.session.get(Event, event.id).version
    assert (
        staff_client.post(
            f"/staff/events/{event.id}/frames/{b.id}/delete", data={"version": version}
        ).status_code
        == 302
    )
    assert [f.name for f in _frames(event.id)] == ["A"]


def test_reorder_frames(staff_client, make_event):
    event = make_event(frames=[dict(name=n, capacity=5) for n in "ABC"])
    c = event.frames[2]
    staff_client.post(f"/staff/events/{event.id}/frames/{c.id}/move",
                      data={"direction": "up", "version": event.version})  # fmt: skip
    assert [f.name for f in _frames(event.id)] == ["A", "C", "B"]
    version = db.session.get(Event, event.id).version
    response = staff_client.post(f"/staff/events/{event.id}/frames/{c.id}/move",
                                 data={"direction": "up", "version": version})  # fmt: skip
    assert response.status_code == 302
    assert [f.name for f in _frames(event.id)] == ["C", "A", "B"]
    version = db.session.get(Event, event.id).version
    response = staff_client.post(f"/staff/events/{event.id}/frames/{c.id}/move",
                                 data={"direction": "up", "version": version})  # fmt: skip
    assert response.status_code == 303  # already first
    assert [f.name for f in _frames(event.id)] == ["C", "A", "B"]


def test_another_units_frames_answer_404(client, make_event, make_user):
    other = make_event(unit="branch:minato")
    mine = make_event(unit="branch:chiyoda")
    login(client, make_user("staff", unit_key="branch:chiyoda"))
    frame = other.frames[0]
    assert client.get(f"/staff/events/{other.id}/frames").status_code == 404
    assert client.get(f"/staff/events/{other.id}/frames/{frame.id}/edit").status_code == 404
    assert client.post(f"/staff/events/{other.id}/frames/{frame.id}/close").status_code == 404
    # another event's frame through one's own event
    assert client.get(f"/staff/events/{mine.id}/frames/{frame.id}/edit").status_code == 404
    assert client.get(f"/staff/events/{mine.id}/frames").status_code == 200


def test_a_stale_event_edit_is_refused_and_keeps_what_was_typed(
    staff_client, make_event, make_user
):
    event = make_event(title="元のタイトル")
    page = staff_client.get(f"/staff/events/{event.id}/edit").get_data(as_text=True)
    assert f'name="version" type="hidden" value="{event.version}"' in page
    start = to_local(event.starts_at)
    form = {
        "title": "私の変更", "kind": "seminar", "unit": "hq", "format": "in_person",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "venue_name": "本部 会議室", "version": str(event.version),
    }  # fmt: skip
    # Another staff member saves first.
    other = staff_client.application.test_client()
    login(other, make_user("staff"))
    assert (
        other.post(f"/staff/events/{event.id}/edit", data=dict(form, title="先の変更")).status_code
        == 302
    )
    response = staff_client.post(f"/staff/events/{event.id}/edit", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "他の職員が変更しました" in html and "私の変更" in html
    assert "保存されている内容と異なる項目: タイトル" in html
    db.session.expire_all()
    stored = db.session.get(Event, event.id)
    assert stored.title == "先の変更"
    # Saving again, knowingly, overwrites.
    response = staff_client.post(f"/staff/events/{event.id}/edit",
                                 data=dict(form, version=str(stored.version)))  # fmt: skip
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id).title == "私の変更"


def test_a_stale_frame_edit_is_refused(staff_client, make_event):
    event = make_event(capacity=10)
    frame = event.frames[0]
    old = event.version
    staff_client.post(f"/staff/events/{event.id}/frames/{frame.id}/close", data={"version": old})
    response = staff_client.post(
        f"/staff/events/{event.id}/frames/{frame.id}/edit",
        data=frame_form(event, name="改名", mode="in_person", capacity="10", version=str(old)),
    )
    assert response.status_code == 409 or response.status_code == 422
    assert "他の職員が変更しました" in response.get_data(as_text=True)
    assert _frames(event.id)[0].name == "会場参加"


def test_the_mode_of_a_frame_with_registrations_stays(staff_client, make_event, member):
    event = make_event(capacity=5)
    _register(member, event)
    frame = event.frames[0]
    response = staff_client.post(
        f"/staff/events/{event.id}/frames/{frame.id}/edit",
        data=frame_form(event, name="会場参加", mode="online", capacity="5"),
    )
    assert response.status_code == 422
    assert "申込のある参加枠の参加方法は変更できません。" in response.get_data(as_text=True)
    assert _frames(event.id)[0].mode == "in_person"


def test_a_capacity_change_on_the_event_page_makes_an_open_frame_form_stale(
    staff_client, make_event
):
    event = make_event(capacity=5)
    frame = event.frames[0]
    opened_at = event.version
    staff_client.post(
        f"/staff/events/{event.id}/frames/{frame.id}/capacity", data={"capacity": "8"}
    )
    response = staff_client.post(
        f"/staff/events/{event.id}/frames/{frame.id}/edit",
        data=frame_form(event, name="会場参加", mode="in_person", capacity="5",
                        version=str(opened_at)),
    )  # fmt: skip
    assert response.status_code >= 400
    assert _frames(event.id)[0].capacity == 8
