"""Merging a guest account into a member one (/staff/accounts/people/<guest>/merge)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from booking.accounts.models import AccountChange, User
from booking.calendars.feed_tokens import ensure_feed_token
from booking.calendars.models import FeedToken
from booking.consultations.models import Consultation
from booking.events.models import Registration
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import make_app


@pytest.fixture
def hq_staff(make_user):
    return make_user("staff", unit_key="hq")


@pytest.fixture
def guest(make_user):
    return make_user("guest", email="guest@example.jp", family_name="佐藤", family_kana="サトウ")


@pytest.fixture
def member(make_user):
    return make_user("member", email="member@example.jp", family_name="佐藤",
                     family_kana="サトウ")  # fmt: skip


def _register(user, event):
    reg = register_for_frame(user, event.id, event.frames[0].id, {}, now_utc(), attestation=True)
    db.session.commit()
    return reg


def test_merge_moves_bookings_and_feed_and_deactivates_the_guest(
    as_user, hq_staff, guest, member, make_event
):
    seminar, mixer = make_event(title="セミナー"), make_event(title="交流会", days=9)
    reg = _register(guest, seminar)
    _register(member, mixer)
    ensure_feed_token(guest, now_utc())
    db.session.commit()
    client = as_user(hq_staff)
    page = client.get(f"/staff/accounts/people/{guest.id}/merge?into={member.id}")
    assert page.status_code == 200 and "イベントの申込: 1件" in page.get_data(as_text=True)
    response = client.post(f"/staff/accounts/people/{guest.id}/merge", data={"into": member.id})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/accounts/people/{member.id}")
    db.session.expire_all()
    reg = db.session.get(Registration, reg.id)
    assert reg.user_id == member.id and reg.active_user_id == member.id
    assert db.session.scalar(select(FeedToken.user_id)) == member.id
    guest = db.session.get(User, guest.id)
    assert not guest.active
    kinds = {(c.user_id, c.kind) for c in db.session.scalars(select(AccountChange))}
    assert kinds == {(guest.id, "merged_into"), (member.id, "merged_from")}
    html = client.get(f"/staff/accounts/people/{member.id}").get_data(as_text=True)
    assert "セミナー" in html and "交流会" in html and "ゲストアカウントを統合" in html


def test_merge_is_refused_when_both_registered_for_the_same_event(
    as_user, hq_staff, guest, member, make_event
):
    event = make_event(
        frames=[dict(name="会場参加", capacity=10), dict(name="オンライン", capacity=10)]
    )
    reg = register_for_frame(guest, event.id, event.frames[0].id, {}, now_utc(), attestation=True)
    register_for_frame(member, event.id, event.frames[1].id, {}, now_utc(), attestation=True)
    db.session.commit()
    client = as_user(hq_staff)
    page = client.get(f"/staff/accounts/people/{guest.id}/merge?into={member.id}")
    assert "重なっている予約" in page.get_data(as_text=True)
    response = client.post(f"/staff/accounts/people/{guest.id}/merge", data={"into": member.id})
    assert response.status_code == 422
    assert "統合できません" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Registration, reg.id).user_id == guest.id
    assert db.session.get(User, guest.id).active
    assert db.session.scalar(select(AccountChange.id)) is None


def test_merge_is_refused_when_consultations_overlap(
    as_user, hq_staff, make_user, member, make_advisor, book
):
    from tests.consultations.test_desk_pages import _slot

    first, second = make_advisor(), make_advisor()
    slot = _slot(first)
    # A person who booked as a member and was later made a guest (the only way a guest holds
    # a consultation).
    former = make_user("member")
    book(former, slot.start, advisor=first, now=now_utc())
    book(member, slot.start, advisor=second, now=now_utc())
    former.role, former.company_id = "guest", None
    db.session.commit()
    client = as_user(hq_staff)
    response = client.post(f"/staff/accounts/people/{former.id}/merge", data={"into": member.id})
    assert response.status_code == 422
    owners = db.session.scalars(select(Consultation.member_id)).all()
    assert sorted(owners) == sorted([former.id, member.id])


def test_only_a_guest_merges_only_into_an_active_member(as_user, hq_staff, guest, make_user):
    other_guest = make_user("guest")
    client = as_user(hq_staff)
    for into in (other_guest.id, guest.id, hq_staff.id, 99999999999999):
        response = client.post(f"/staff/accounts/people/{guest.id}/merge", data={"into": into})
        assert response.status_code == 422, into
    member = make_user("member")
    assert client.get(f"/staff/accounts/people/{member.id}/merge").status_code == 404
    db.session.refresh(guest)
    assert guest.active


def test_the_merge_search_lists_active_members_only(as_user, hq_staff, guest, member, make_user):
    make_user("guest", family_name="佐藤", family_kana="サトウ", email="another-guest@example.jp")
    client = as_user(hq_staff)
    html = client.get(f"/staff/accounts/people/{guest.id}/merge?q=さとう").get_data(as_text=True)
    assert "member@example.jp" in html and "another-guest@example.jp" not in html
    assert f"into={member.id}" in html


def test_branch_staff_cannot_merge(as_user, make_user, guest, member):
    branch_staff = make_user("staff", unit_key="branch:chiyoda")
    client = as_user(branch_staff)
    assert "/merge" not in client.get(f"/staff/accounts/people/{guest.id}").get_data(as_text=True)
    assert client.get(f"/staff/accounts/people/{guest.id}/merge").status_code == 404
    response = client.post(f"/staff/accounts/people/{guest.id}/merge", data={"into": member.id})
    assert response.status_code == 404
    db.session.refresh(guest)
    assert guest.active


@pytest.mark.postgres
def test_two_merges_of_one_guest_at_once_move_it_once(
    postgres_url, app, guest, make_user, make_event
):
    """Two staff merge the same guest into two members at the same moment: the accounts are
    locked, so one merge wins and the other is refused; the bookings all end in one place."""
    from booking.accounts.merge import merge_guest_into_member
    from booking.errors import DomainError

    actor = make_user("admin")
    members = [make_user("member"), make_user("member")]
    for days in (3, 5, 7):
        _register(guest, make_event(days=days))
    ids = (guest.id, actor.id, [m.id for m in members])
    app = make_app(postgres_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 2, "max_overflow": 0})
    gate, outcomes = threading.Barrier(2), []

    def merge_into(member_id):
        with app.app_context():
            g, a, m = (db.session.get(User, i) for i in (ids[0], ids[1], member_id))
            gate.wait()
            try:
                merge_guest_into_member(g, m, a, now_utc() + timedelta(seconds=1))
                db.session.commit()
                outcomes.append("merged")
            except DomainError:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=merge_into, args=(m,)) for m in ids[2]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["merged", "refused"]
    db.session.expire_all()
    owners = set(db.session.scalars(select(Registration.user_id)))
    assert len(owners) == 1 and owners <= set(ids[2])
