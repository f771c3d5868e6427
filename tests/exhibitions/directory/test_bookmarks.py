"""Visitors bookmark exhibitors: without JavaScript, signed in, with CSRF, idempotent."""

from __future__ import annotations

import contextlib
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from booking.accounts.models import User
from booking.exhibitions.directory.bookmarks import set_bookmark
from booking.exhibitions.models import Bookmark, Exhibitor
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import IsolatedClient, make_app


@pytest.fixture
def fair(make_fair):
    return make_fair()


@pytest.fixture
def shown(fair, make_exhibitor):
    exhibitor, _ = make_exhibitor(fair, name="ブックマーク株式会社")
    return exhibitor


def marks(user_id: int) -> list[int]:
    return list(
        db.session.scalars(select(Bookmark.exhibitor_id).where(Bookmark.user_id == user_id))
    )


def bookmark_url(fair, exhibitor) -> str:
    return f"/exhibitions/{fair.id}/exhibitors/{exhibitor.id}/bookmark"


def test_a_signed_in_visitor_bookmarks_and_comes_back(member_client, member, fair, shown):
    back = f"/exhibitions/{fair.id}/?category=industry"
    response = member_client.post(bookmark_url(fair, shown), data={"wanted": "1", "next": back})
    assert response.status_code == 302 and response.headers["Location"] == back
    assert marks(member.id) == [shown.id]
    body = member_client.get(f"/exhibitions/{fair.id}/").get_data(as_text=True)
    assert 'aria-pressed="true"' in body and "ブックマーク済み" in body


def test_the_same_bookmark_twice_is_still_one(member_client, member, fair, shown):
    for _ in range(2):
        member_client.post(bookmark_url(fair, shown), data={"wanted": "1"})
    assert marks(member.id) == [shown.id]


def test_unbookmarking_removes_it(member_client, member, fair, shown):
    member_client.post(bookmark_url(fair, shown), data={"wanted": "1"})
    response = member_client.post(bookmark_url(fair, shown), data={"wanted": "0"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/exhibitions/{fair.id}/exhibitors/{shown.id}"
    assert marks(member.id) == []


def test_a_post_without_a_wanted_state_toggles(member_client, member, fair, shown):
    member_client.post(bookmark_url(fair, shown))
    assert marks(member.id) == [shown.id]
    member_client.post(bookmark_url(fair, shown))
    assert marks(member.id) == []


def test_signed_out_visitors_are_sent_to_sign_in(client, fair, shown):
    response = client.post(bookmark_url(fair, shown), data={"wanted": "1"})
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Bookmark)) == 0
    body = client.get(f"/exhibitions/{fair.id}/").get_data(as_text=True)
    assert "ログインしてブックマーク" in body


def test_an_off_site_next_is_ignored(member_client, fair, shown):
    response = member_client.post(
        bookmark_url(fair, shown), data={"wanted": "1", "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == f"/exhibitions/{fair.id}/exhibitors/{shown.id}"


@pytest.mark.parametrize("status", ["applied", "rejected"])
def test_exhibitors_not_accepted_cannot_be_bookmarked(
    member_client, member, fair, make_exhibitor, status
):
    x, _ = make_exhibitor(fair, status=status)
    assert member_client.post(bookmark_url(fair, x), data={"wanted": "1"}).status_code == 404
    assert marks(member.id) == []


def test_the_bookmark_list_shows_only_my_bookmarks_of_this_fair(
    member_client, member, fair, shown, make_exhibitor, make_fair, make_user
):
    other_fair = make_fair()
    elsewhere, _ = make_exhibitor(other_fair, name="別会場株式会社")
    not_marked, _ = make_exhibitor(fair, name="未登録株式会社")
    someone = make_user("member")
    set_bookmark(someone, not_marked, True, now_utc())
    db.session.commit()
    for f, x in ((fair, shown), (other_fair, elsewhere)):
        member_client.post(bookmark_url(f, x), data={"wanted": "1"})
    body = member_client.get(f"/exhibitions/{fair.id}/bookmarks").get_data(as_text=True)
    listed = re.findall(r"<h3 [^>]*><a [^>]+>([^<]+)</a></h3>", body)
    assert listed == ["ブックマーク株式会社"]


def test_the_bookmark_list_needs_sign_in(client, fair):
    response = client.get(f"/exhibitions/{fair.id}/bookmarks")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_my_page_lists_bookmarked_exhibitors(member_client, fair, shown):
    body = member_client.get("/mypage/").get_data(as_text=True)
    assert "exhibitor-bookmarks-heading" not in body  # nothing to show: no section
    member_client.post(bookmark_url(fair, shown), data={"wanted": "1"})
    body = member_client.get("/mypage/").get_data(as_text=True)
    assert "exhibitor-bookmarks-heading" in body and "ブックマーク株式会社" in body
    assert f"/exhibitions/{fair.id}/exhibitors/{shown.id}" in body


def test_my_page_hides_bookmarks_of_exhibitors_no_longer_accepted(
    member_client, member, fair, shown
):
    member_client.post(bookmark_url(fair, shown), data={"wanted": "1"})
    db.session.get(Exhibitor, shown.id).status = "withdrawn"
    db.session.commit()
    body = member_client.get("/mypage/").get_data(as_text=True)
    assert "exhibitor-bookmarks-heading" not in body


def _token(body: str) -> str:
    return re.search(r'name="csrf_token"[^>]*? value="([^"]+)"', body).group(1)


def test_bookmarking_needs_a_csrf_token(database_url, fair, shown, member):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    app.test_client_class = IsolatedClient
    client = app.test_client()
    email, url, directory = member.email, bookmark_url(fair, shown), f"/exhibitions/{fair.id}/"
    db.session.commit()  # this test's own session lets go of SQLite's write lock
    with app.app_context():
        token = _token(client.get("/account/login").get_data(as_text=True))
        form = {"email": email, "password": "correct-horse-1", "csrf_token": token}
        assert client.post("/account/login", data=form).status_code == 302
        page = client.get(directory).get_data(as_text=True)
        assert client.post(url, data={"wanted": "1"}).status_code == 400
    assert marks(member.id) == []
    db.session.commit()
    with app.app_context():
        data = {"wanted": "1", "csrf_token": _token(page)}
        assert client.post(url, data=data).status_code == 302
    assert marks(member.id) == [shown.id]


@pytest.mark.postgres
def test_concurrent_bookmarks_of_one_person_make_one_row(postgres_url, fair, shown, member):
    worker = make_app(postgres_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 8, "max_overflow": 0})
    barrier = threading.Barrier(8)
    user_id, exhibitor_id = member.id, shown.id
    errors: list[BaseException] = []

    def one(_):
        with worker.app_context():
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=30)
            try:
                user = db.session.get(User, user_id)
                set_bookmark(user, db.session.get(Exhibitor, exhibitor_id), True, now_utc())
                db.session.commit()
            except Exception as exc:  # any error at all is the failure being tested for
                errors.append(exc)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, range(8)))
    assert errors == []
    assert marks(user_id) == [exhibitor_id]
