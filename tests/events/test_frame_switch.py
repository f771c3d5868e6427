"""An in-person attendee of a hybrid event moves to the online frame from My Page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from booking.events.models import Frame, Registration
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.notifications.models import OutboxMessage
from booking.timefmt import now_utc
from tests.conftest import login

JOIN = "https://meet.example.jp/j/hybrid-switch"


@pytest.fixture
def make_hybrid(make_event):
    def factory(room=2, online=2):
        return make_event(
            format="hybrid",
            online_url=JOIN,
            frames=[
                dict(name="会場参加", capacity=room, mode="in_person"),
                dict(name="オンライン参加", capacity=online, mode="online"),
            ],
        )

    return factory


def _register(user, frame):
    reg = register_for_frame(user, frame.event_id, frame.id, {}, now_utc())
    db.session.commit()
    return reg


def _signed_in(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _pending(about: str, prefix: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.about == about,
                OutboxMessage.dedupe_key.startswith(prefix),
                OutboxMessage.status == "pending",
            )
        )
    )


def test_my_page_offers_the_move_and_asks_before_moving(app, make_hybrid, member):
    event = make_hybrid()
    reg = _register(member, event.frames[0])
    client = _signed_in(app, member)
    page = client.get(f"/mypage/registrations/{reg.id}").get_data(as_text=True)
    assert f"/mypage/registrations/{reg.id}/online" in page
    assert f"/mypage/registrations/{reg.id}/online" in client.get(f"/events/{event.id}").get_data(
        as_text=True
    )
    confirm = client.get(f"/mypage/registrations/{reg.id}/online")
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and f'name="frame" value="{event.frames[1].id}"' in html
    assert "オンライン参加に変更する" in html and "よろしいですか" in html
    db.session.refresh(reg)
    assert reg.frame_id == event.frames[0].id, "a GET changes nothing"


def test_moving_online_frees_the_seat_promotes_the_waitlist_and_tells_the_person(
    app, make_hybrid, make_user, sent_mail
):
    event = make_hybrid(room=1)
    room, online = event.frames
    mover = make_user("member")
    reg = _register(mover, room)
    waiting = _register(make_user("member"), room)
    assert (reg.status, waiting.status) == ("confirmed", "waitlisted")
    sent_mail()  # the confirmations so far
    before = reg.sequence

    client = _signed_in(app, mover)
    response = client.post(f"/mypage/registrations/{reg.id}/online", data={"frame": online.id})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/mypage/registrations/{reg.id}")

    db.session.expire_all()
    reg, waiting = db.session.get(Registration, reg.id), db.session.get(Registration, waiting.id)
    assert (reg.frame_id, reg.status) == (online.id, "confirmed") and reg.sequence > before
    assert waiting.status == "confirmed", "the seat left went to the first one waiting"
    assert db.session.get(Frame, room.id).taken == 1 and db.session.get(Frame, online.id).taken == 1

    about = f"registration:{reg.id}"
    [notice] = _pending(about, f"{about}:switched_online:")
    assert notice.invite == "REQUEST" and notice.context["join_url"] == JOIN
    reminders = _pending(about, f"reminder:{about}:")
    assert reminders and all(
        m.context["join_url"] == JOIN and m.about_version == reg.sequence and not m.context["venue"]
        for m in reminders
    )
    assert _pending(f"registration:{waiting.id}", f"registration:{waiting.id}:promoted:")

    mails = {m["To"].addresses[0].addr_spec: m for m in sent_mail()}
    mail = mails[mover.email]
    assert mail["Subject"].startswith("【東京商工会議所】オンライン参加への変更を受け付けました")
    assert JOIN in mail.get_body(("plain",)).get_content()
    page = client.get(f"/mypage/registrations/{reg.id}").get_data(as_text=True)
    assert "オンライン参加に変更しました" in page and JOIN in page


def test_a_waiting_in_person_registration_can_take_an_online_seat(app, make_hybrid, make_user):
    event = make_hybrid(room=1)
    room, online = event.frames
    _register(make_user("member"), room)
    mover = make_user("member")
    reg = _register(mover, room)
    assert reg.status == "waitlisted"
    client = _signed_in(app, mover)
    assert (
        client.post(f"/mypage/registrations/{reg.id}/online", data={"frame": online.id}).status_code
        == 302
    )
    db.session.expire_all()
    reg = db.session.get(Registration, reg.id)
    assert (reg.frame_id, reg.status) == (online.id, "confirmed") and reg.confirmed_at
    assert db.session.get(Frame, room.id).taken == 1


def test_no_seat_left_online_is_a_clear_message_and_changes_nothing(app, make_hybrid, make_user):
    event = make_hybrid(online=1)
    room, online = event.frames
    mover = make_user("member")
    reg = _register(mover, room)
    client = _signed_in(app, mover)
    assert f"/mypage/registrations/{reg.id}/online" in client.get(
        f"/mypage/registrations/{reg.id}"
    ).get_data(as_text=True)
    _register(make_user("member"), online)  # someone takes the last online seat meanwhile

    response = client.post(f"/mypage/registrations/{reg.id}/online", data={"frame": online.id})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "オンライン参加枠に空きがないため、変更できませんでした。" in html
    assert "会場参加のお申し込みはそのままです" in html
    db.session.expire_all()
    reg = db.session.get(Registration, reg.id)
    assert (reg.frame_id, reg.status) == (room.id, "confirmed")
    assert db.session.get(Frame, room.id).taken == 1 and db.session.get(Frame, online.id).taken == 1
    assert not _pending(f"registration:{reg.id}", f"registration:{reg.id}:switched_online:")
    # Nothing to offer any more: the pages say why instead of showing the button.
    assert f"/mypage/registrations/{reg.id}/online" not in client.get(
        f"/mypage/registrations/{reg.id}"
    ).get_data(as_text=True)
    confirm = client.get(f"/mypage/registrations/{reg.id}/online").get_data(as_text=True)
    assert "オンライン参加枠に空きがないため" in confirm and 'name="frame"' not in confirm


def test_a_closed_online_frame_says_so_and_refuses_the_move(app, make_event, member):
    event = make_event(
        format="hybrid", online_url=JOIN,
        frames=[dict(name="会場参加", capacity=5, mode="in_person"),
                dict(name="オンライン参加", capacity=5, mode="online",
                     closes_at=now_utc() - timedelta(hours=1))],
    )  # fmt: skip
    room, online = event.frames
    reg = _register(member, room)
    client = _signed_in(app, member)
    confirm = client.get(f"/mypage/registrations/{reg.id}/online").get_data(as_text=True)
    assert (
        "現在、変更できるオンライン参加枠はありません" in confirm and 'name="frame"' not in confirm
    )
    response = client.post(f"/mypage/registrations/{reg.id}/online", data={"frame": online.id})
    assert response.status_code == 409 and "申込受付は終了しました。" in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert db.session.get(Registration, reg.id).frame_id == room.id


def test_english_speakers_get_the_message_in_english(app, make_hybrid, make_user):
    event = make_hybrid(online=0)
    room, online = event.frames
    mover = make_user("member")
    mover.locale = "en"
    db.session.commit()
    reg = _register(mover, room)
    response = _signed_in(app, mover).post(
        f"/mypage/registrations/{reg.id}/online", data={"frame": online.id}
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "no online seat is left" in html.lower()
    assert "オンライン参加枠に空きがない" not in html


def test_only_the_owner_may_move_and_only_an_in_person_registration(
    app, make_hybrid, make_user, make_event
):
    event = make_hybrid()
    room, online = event.frames
    owner, other = make_user("member"), make_user("member")
    reg = _register(owner, room)
    stranger = _signed_in(app, other)
    assert stranger.get(f"/mypage/registrations/{reg.id}/online").status_code == 404
    assert (
        stranger.post(
            f"/mypage/registrations/{reg.id}/online", data={"frame": online.id}
        ).status_code
        == 404
    )
    online_reg = _register(other, online)
    assert stranger.get(f"/mypage/registrations/{online_reg.id}/online").status_code == 404
    in_person_only = make_event()
    plain = _register(owner, in_person_only.frames[0])
    owner_client = _signed_in(app, owner)
    assert owner_client.get(f"/mypage/registrations/{plain.id}/online").status_code == 404
    db.session.expire_all()
    assert db.session.get(Registration, reg.id).frame_id == room.id


@pytest.mark.parametrize("frame", ["", "abc", "99999999999", "room"])
def test_a_bad_frame_is_refused_with_a_message_never_a_500(app, make_hybrid, member, frame):
    event = make_hybrid()
    room, _online = event.frames
    reg = _register(member, room)
    value = str(room.id) if frame == "room" else frame
    response = _signed_in(app, member).post(
        f"/mypage/registrations/{reg.id}/online", data={"frame": value}
    )
    assert response.status_code in (404, 422)
    assert "error-summary" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Registration, reg.id).frame_id == room.id
