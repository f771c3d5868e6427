"""Members follow a branch, a section or a group from the branch page, the event page and
My Page's settings list, and unfollow from each; guests see no button and cannot follow."""

from __future__ import annotations

import re

from sqlalchemy import select

from booking.extensions import db
from booking.follows.models import DigestState, Follow
from booking.org.services import unit_by_key


def _followed(user) -> list[str]:
    rows = db.session.scalars(select(Follow).where(Follow.user_id == user.id))
    return sorted(f.unit.key for f in rows)


def test_a_member_follows_a_branch_from_its_page_and_comes_back_to_it(member_client, member):
    page = member_client.get("/branches/chiyoda").get_data(as_text=True)
    assert "千代田支部をフォローする" in page

    answer = member_client.post("/follows/follow", data={"unit": "branch:chiyoda",
                                                         "next": "/branches/chiyoda"})  # fmt: skip
    assert answer.status_code == 302 and answer.location.endswith("/branches/chiyoda")
    assert _followed(member) == ["branch:chiyoda"]
    page = member_client.get("/branches/chiyoda").get_data(as_text=True)
    assert "千代田支部をフォローしました。" in page
    assert "フォロー中" in page and "千代田支部のフォローを解除する" in page
    assert db.session.get(DigestState, member.id).opted_out_at is None

    member_client.post("/follows/follow", data={"unit": "branch:chiyoda"})
    assert _followed(member) == ["branch:chiyoda"]  # following twice is one follow


def test_the_event_page_offers_its_organiser_and_tags(member_client, member, make_event):
    event = make_event(unit="section:industry", tags=[unit_by_key("group:yeg")])
    page = member_client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "工業部会をフォローする" in page and "青年部をフォローする" in page

    member_client.post("/follows/follow", data={"unit": "group:yeg",
                                                "next": f"/events/{event.id}"})  # fmt: skip
    page = member_client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "青年部のフォローを解除する" in page and "工業部会をフォローする" in page

    member_client.post("/follows/unfollow", data={"unit": "group:yeg",
                                                  "next": f"/events/{event.id}"})  # fmt: skip
    assert _followed(member) == []


def test_the_settings_list_follows_and_unfollows(member_client, member):
    assert "フォローと新着のお知らせ" in member_client.get("/mypage/").get_data(as_text=True)
    page = member_client.get("/mypage/follows").get_data(as_text=True)
    assert "まだ何もフォローしていません。" in page
    assert '<optgroup label="部会">' in page and 'value="section:industry"' in page

    answer = member_client.post("/mypage/follows", data={"unit": "section:industry"})
    assert answer.status_code == 302
    page = member_client.get("/mypage/follows").get_data(as_text=True)
    listed = page[page.index('class="follow-list"') :]
    assert "工業部会" in listed and 'value="section:industry"' not in page.split("<select")[1]

    member_client.post("/follows/unfollow", data={"unit": "section:industry",
                                                  "next": "/mypage/follows"})  # fmt: skip
    assert _followed(member) == []


def test_the_settings_list_turns_the_digest_off_and_on(member_client, member):
    member_client.post("/mypage/follows", data={"unit": "branch:minato"})
    member_client.post("/mypage/follows/digest", data={"wanted": "no"})
    assert db.session.get(DigestState, member.id).opted_out_at is not None
    page = member_client.get("/mypage/follows").get_data(as_text=True)
    assert "お知らせメールは停止中です。" in page
    member_client.post("/mypage/follows/digest", data={"wanted": "yes"})
    assert db.session.get(DigestState, member.id).opted_out_at is None


def test_bad_input_is_refused_politely_and_keeps_nothing(member_client, member):
    answer = member_client.post("/mypage/follows", data={"unit": "branch:nowhere"})
    assert answer.status_code == 422
    assert "入力内容を確認してください" in answer.get_data(as_text=True)
    answer = member_client.post("/follows/follow", data={"unit": "committee:c01"})
    page = member_client.get(answer.location).get_data(as_text=True)
    assert "フォローできる対象が見つかりません。" in page
    assert member_client.post("/follows/follow", data={}).status_code == 400
    assert member_client.post("/mypage/follows/digest", data={"wanted": "x"}).status_code == 400
    answer = member_client.post("/follows/follow", data={"unit": "branch:chiyoda",
                                                         "next": "https://evil.example/"})  # fmt: skip
    assert answer.location.endswith("/mypage/follows")
    assert _followed(member) == ["branch:chiyoda"]


def test_guests_see_no_button_and_cannot_follow(client, make_user, make_event):
    from tests.conftest import login

    guest = make_user("guest")
    login(client, guest)
    page = client.get("/branches/chiyoda").get_data(as_text=True)
    assert "フォローする" not in page
    assert client.get("/mypage/follows").status_code == 404
    answer = client.post("/follows/follow", data={"unit": "branch:chiyoda"})
    page = client.get(answer.location).get_data(as_text=True)
    assert "フォローは会員の方がご利用いただけます。" in page
    assert _followed(guest) == []


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert "フォローする" not in client.get("/branches/chiyoda").get_data(as_text=True)
    answer = client.post("/follows/follow", data={"unit": "branch:chiyoda"})
    assert answer.status_code == 302 and "/account/login" in answer.location
    assert re.search(r"/account/login", client.get("/mypage/follows").location)
