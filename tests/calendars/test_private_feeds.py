"""Private and advisor feeds behind a person's token; issuing and regenerating the token."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from booking.calendars.feed_tokens import ensure_feed_token, regenerate_feed_token
from booking.calendars.models import FeedToken
from booking.extensions import db
from booking.timefmt import now_utc
from tests.calendars.conftest import JAPANESE_LONG, PUNCTUATED
from tests.calendars.parsers import read_all


def unfolded(body: bytes) -> str:
    return body.decode().replace("\r\n ", "")


def feed_path(user) -> str:
    token = ensure_feed_token(user, now_utc())
    db.session.commit()
    return f"/calendar/{token}.ics"


def test_private_feed_shows_the_persons_items_with_join_urls(
    client, member, private_items, make_item
):  # fmt: skip
    private_items[member.id] += [
        make_item(kind="registration", id=1, summary=JAPANESE_LONG,
                  join_url="https://meet.example.jp/j/1"),
        make_item(kind="consultation", id=2, summary=PUNCTUATED),
        make_item(kind="registration", id=3, summary="抽選待ち", status="TENTATIVE",
                  label="抽選結果待ち"),
    ]  # fmt: skip
    response = client.get(feed_path(member))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    summaries = [s for _, _, s in read_all(response.data)]
    assert summaries == [JAPANESE_LONG, PUNCTUATED, "【抽選結果待ち】抽選待ち"]
    text = unfolded(response.data)
    assert "meet.example.jp/j/1" in text
    assert "STATUS:TENTATIVE" in text
    assert "CLASS:PRIVATE" in text
    assert "X-WR-CALNAME:東京商工会議所 マイカレンダー" in text
    assert "BEGIN:VALARM" in text
    assert "ATTENDEE" not in text and "mailto:" not in text and member.email not in text


def test_private_feed_never_shows_another_persons_items(
    client, member, make_user, private_items, make_item
):  # fmt: skip
    other = make_user("member")
    private_items[other.id].append(make_item(summary="他人の予定"))
    private_items[member.id].append(make_item(summary="自分の予定"))
    text = unfolded(client.get(feed_path(member)).data)
    assert "自分の予定" in text
    assert "他人の予定" not in text


def test_private_feed_is_private_cache_and_not_an_attachment(client, member, private_items):
    response = client.get(feed_path(member))
    assert response.headers["Cache-Control"] == "private, max-age=900"
    assert "Content-Disposition" not in response.headers
    assert response.headers["X-Robots-Tag"].startswith("noindex")
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_private_feed_answers_304_and_is_stable(client, member, private_items, make_item):
    private_items[member.id].append(make_item(summary=JAPANESE_LONG))
    path = feed_path(member)
    first, second = client.get(path), client.get(path)
    assert first.data == second.data
    assert first.headers["ETag"] == second.headers["ETag"]
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    ims = {"If-Modified-Since": first.headers["Last-Modified"]}
    assert client.get(path, headers=ims).status_code == 304


def test_a_changed_item_changes_the_feed(client, member, private_items, make_item):
    item = make_item(kind="registration", id=5, sequence=0)
    private_items[member.id].append(item)
    path = feed_path(member)
    first = client.get(path)
    moved = make_item(kind="registration", id=5, sequence=1,
                      starts_at=item.starts_at + timedelta(hours=3),
                      updated_at=item.updated_at + timedelta(hours=1))  # fmt: skip
    private_items[member.id][:] = [moved]
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    text = unfolded(again.data)
    assert "UID:registration-5@tsunagu.test" in text and "SEQUENCE:1" in text


def test_cancelled_items_are_kept_30_days_then_dropped(client, member, private_items, make_item):
    recent = make_item(summary="先週キャンセル", status="CANCELLED",
                       updated_at=now_utc() - timedelta(days=7))  # fmt: skip
    old = make_item(summary="昔のキャンセル", status="CANCELLED",
                    updated_at=now_utc() - timedelta(days=31))  # fmt: skip
    private_items[member.id] += [recent, old]
    text = unfolded(client.get(feed_path(member)).data)
    assert "先週キャンセル" in text and "STATUS:CANCELLED" in text
    assert "昔のキャンセル" not in text


@pytest.mark.parametrize(
    "token",
    ["0" * 43, "short", "A" * 44, "../../etc/passwd", "x" * 43 + "'--"],
)
def test_unknown_or_malformed_tokens_answer_404(client, token):
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_token_with_nul_is_refused_before_any_lookup(client):
    assert client.get(f"/calendar/{'%00' * 15}.ics").status_code == 400


def test_regenerate_kills_the_old_url_at_once(client, member, private_items):
    old = feed_path(member)
    assert client.get(old).status_code == 200
    new = regenerate_feed_token(member, now_utc())
    db.session.commit()
    assert client.get(old).status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_the_token_is_stored_only_as_hash_and_seed(app, member):
    token = ensure_feed_token(member, now_utc())
    db.session.commit()
    row = db.session.query(FeedToken).filter_by(user_id=member.id).one()
    assert len(token) == 43
    assert token not in (row.seed, row.token_hash)
    assert ensure_feed_token(member, now_utc()) == token  # shown again, unchanged


def test_a_deactivated_persons_feed_answers_404(client, member, private_items):
    path = feed_path(member)
    member.active = False
    db.session.commit()
    assert client.get(path).status_code == 404


def test_api_me_calendar_returns_url_and_webcal_url(client, member, private_items, app):
    from booking.accounts.services import issue_api_token

    api = issue_api_token(member)
    db.session.commit()
    headers = {"Authorization": f"Bearer {api}"}
    first = client.get("/api/v1/me/calendar", headers=headers)
    assert first.status_code == 200
    body = first.get_json()
    assert re.fullmatch(r"http://tsunagu\.test/calendar/[A-Za-z0-9_-]{43}\.ics", body["url"])
    assert body["webcal_url"] == body["url"].replace("http://", "webcal://")
    assert client.get("/api/v1/me/calendar", headers=headers).get_json() == body
    assert client.get(body["url"].removeprefix("http://tsunagu.test")).status_code == 200
    renewed = client.post("/api/v1/me/calendar/regenerate", headers=headers).get_json()
    assert renewed["url"] != body["url"]
    assert client.get(body["url"].removeprefix("http://tsunagu.test")).status_code == 404


def test_api_me_calendar_needs_a_token(client):
    assert client.get("/api/v1/me/calendar").status_code == 401


def test_advisor_feed_is_behind_the_advisors_own_token(client, make_user, advisor_items, make_item):
    advisor = make_user("advisor")
    advisor_items[advisor.id].append(make_item(kind="consultation", id=9,
                                               summary="経営相談（株式会社テスト・資金繰り）"))  # fmt: skip
    token = ensure_feed_token(advisor, now_utc(), "advisor")
    db.session.commit()
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    text = unfolded(response.data)
    assert "経営相談（株式会社テスト・資金繰り）" in text
    assert "X-WR-CALNAME:東京商工会議所 相談スケジュール" in text
    private = feed_path(advisor)
    assert "経営相談（株式会社テスト・資金繰り）" not in unfolded(client.get(private).data)


def test_an_advisor_token_stops_working_when_the_role_changes(client, make_user, advisor_items):
    advisor = make_user("advisor")
    token = ensure_feed_token(advisor, now_utc(), "advisor")
    advisor.role = "member"
    db.session.commit()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_with_source_versions_a_304_never_gathers_the_items(app, client, member, make_item,
                                                           monkeypatch):  # fmt: skip
    from booking.calendars import items as registry

    calls = []
    state = {"version": 1}

    def source(user, now):
        calls.append(user.id)
        return [make_item(kind="registration", id=1, sequence=state["version"])]

    # This app's feeds hold this one source only.
    monkeypatch.setattr(registry.sources_of(app), "private", {})
    registry.register_private_source(app, source, "t", version=lambda user, now: state["version"])
    path = feed_path(member)
    first = client.get(path)
    assert first.status_code == 200 and calls == [member.id]
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert calls == [member.id]  # the item source did not run
    state["version"] = 2
    changed = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert "SEQUENCE:2" in unfolded(changed.data)


def test_one_entry_per_uid_even_if_two_sources_name_it(client, member, private_items, make_item):
    old = make_item(kind="registration", id=11, summary="旧", sequence=1)
    new = make_item(kind="registration", id=11, summary="新", sequence=2)
    private_items[member.id] += [new, old]
    text = unfolded(client.get(feed_path(member)).data)
    assert text.count("UID:registration-11@tsunagu.test") == 1
    assert "SUMMARY:新" in text


def test_api_me_calendar_gives_advisors_their_advisor_feed_too(client, make_user, advisor_items):
    from booking.accounts.services import issue_api_token

    advisor = make_user("advisor")
    api = issue_api_token(advisor)
    db.session.commit()
    body = client.get("/api/v1/me/calendar", headers={"Authorization": f"Bearer {api}"}).get_json()
    assert body["advisor_url"] != body["url"]
    assert body["advisor_webcal_url"].startswith("webcal://")
    advisor_feed = client.get(body["advisor_url"].removeprefix("http://tsunagu.test"))
    assert b"X-WR-CALNAME:" in advisor_feed.data


def test_private_feed_speaks_the_owners_language(client, member, private_items, make_item):
    member.locale = "en"
    db.session.commit()
    private_items[member.id].append(make_item(summary="Seminar", status="CANCELLED",
                                              updated_at=now_utc()))  # fmt: skip
    text = unfolded(client.get(feed_path(member)).data)
    assert "X-WR-CALNAME:Tokyo Chamber of Commerce – my calendar" in text
    assert "SUMMARY:[Cancelled] Seminar" in text
