"""The waitlist page and the staff audit log: positions in order, a move with a kept reason
that the automatic promotion follows, a named promotion into a free seat, capacity changes and
cancellations on behalf recorded — all through the staff pages."""

from __future__ import annotations

from sqlalchemy import select

from booking.events.audit import audit_for_user
from booking.events.models import Registration, StaffAction
from booking.events.registrations import register_for_frame, waitlist_position
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import login


def _register(user, event, frame=None):
    reg = register_for_frame(user, event.id, (frame or event.frames[0]).id, {}, now_utc())
    db.session.commit()
    return reg


def _full_event_with_waitlist(make_event, make_user, waiting=3, **kw):
    event = make_event(capacity=1, **kw)
    seated = _register(make_user("member"), event)
    queue = [
        _register(make_user("member", family_name=f"待機{i}", family_kana=f"タイキ{'アイウエオ'[i]}"), event)
        for i in range(waiting)
    ]  # fmt: skip
    return event, seated, queue


def _entries(event, action=None):
    query = select(StaffAction).where(StaffAction.event_id == event.id)
    if action:
        query = query.where(StaffAction.action == action)
    return list(db.session.scalars(query.order_by(StaffAction.id)))


def test_the_waitlist_page_shows_people_in_order_with_positions(
    staff_client, make_event, make_user
):
    event, _, queue = _full_event_with_waitlist(make_event, make_user)
    html = staff_client.get(f"/staff/events/{event.id}/waitlist").get_data(as_text=True)
    places = [html.index(r.reference) for r in queue]
    assert places == sorted(places)
    assert "キャンセル待ち1番目" in html and "キャンセル待ち3番目" in html
    assert "タイキア" in html  # furigana next to the name


def test_moving_someone_up_keeps_the_reason_and_the_promotion_follows_it(
    staff_client, staff, make_event, make_user
):  # fmt: skip
    event, seated, queue = _full_event_with_waitlist(make_event, make_user)
    last = queue[2]
    response = staff_client.post(
        f"/staff/events/{event.id}/waitlist/{last.id}/move",
        data={"position": "1", "reason": "登壇者の同僚のため"},
    )
    assert response.status_code == 302
    assert [waitlist_position(r) for r in (last, queue[0], queue[1])] == [1, 2, 3]
    [entry] = _entries(event, "move")
    assert (entry.actor_id, entry.subject_id, entry.reason) == (
        staff.id,
        last.user_id,
        "登壇者の同僚のため",
    )
    assert (entry.before["position"], entry.after["position"]) == (3, 1)
    # Someone joining the waitlist later still queues behind everyone already there.
    latecomer = _register(make_user("member"), event)
    assert waitlist_position(latecomer) == 4
    # A freed seat goes to the person moved up: the automatic rule follows the manual order.
    staff_client.post(f"/staff/events/{event.id}/registrations/{seated.id}/cancel")
    assert last.status == "confirmed" and queue[0].status == "waitlisted"
    audit = staff_client.get(f"/staff/events/{event.id}/audit").get_data(as_text=True)
    assert "登壇者の同僚のため" in audit and "3番目 → 1番目" in audit
    assert "職員によるキャンセル" in audit


def test_a_move_without_a_reason_or_outside_the_list_is_refused_keeping_what_was_typed(
    staff_client, make_event, make_user
):  # fmt: skip
    event, _, queue = _full_event_with_waitlist(make_event, make_user)
    reg = queue[1]
    no_reason = staff_client.post(
        f"/staff/events/{event.id}/waitlist/{reg.id}/move",
        data={"position": "1", "reason": "  "},
    )
    assert no_reason.status_code == 422
    assert "理由を入力してください" in no_reason.get_data(as_text=True)
    too_far = staff_client.post(
        f"/staff/events/{event.id}/waitlist/{reg.id}/move",
        data={"position": "9", "reason": "確認のため"},
    )
    html = too_far.get_data(as_text=True)
    assert too_far.status_code == 422 and "1から3までの数" in html and "確認のため" in html
    assert waitlist_position(reg) == 2 and _entries(event) == []


def test_promotion_needs_a_free_seat(staff_client, make_event, make_user):
    event, _, queue = _full_event_with_waitlist(make_event, make_user)
    page = staff_client.get(f"/staff/events/{event.id}/waitlist").get_data(as_text=True)
    assert "空席がないため繰り上げできません" in page
    reg = queue[2]
    refused = staff_client.post(
        f"/staff/events/{event.id}/waitlist/{reg.id}/promote", data={"reason": ""}
    )
    assert refused.status_code == 422 and "空席がないため" in refused.get_data(as_text=True)
    assert reg.status == "waitlisted" and event.frames[0].taken == 1


def test_staff_promote_a_named_person_into_a_free_seat_over_the_company_limit_with_a_reason(
    staff_client, staff, make_event, make_user
):  # fmt: skip
    # The automatic promotion skips a company at its limit, so its seat stays free.
    event = make_event(capacity=2)
    boss = make_user("member")
    first, _second = (
        _register(u, event) for u in (boss, make_user("member", company=boss.company))
    )
    third = _register(make_user("member", company=boss.company), event)
    event.frames[0].per_company_limit = 1
    db.session.commit()
    staff_client.post(f"/staff/events/{event.id}/registrations/{first.id}/cancel")
    assert third.status == "waitlisted" and event.frames[0].taken == 1
    page = staff_client.get(f"/staff/events/{event.id}/waitlist").get_data(as_text=True)
    assert "この方を繰り上げる" in page
    url = f"/staff/events/{event.id}/waitlist/{third.id}/promote"
    no_reason = staff_client.post(url, data={"reason": ""})
    assert no_reason.status_code == 422 and "上限を超えて繰り上げる理由" in no_reason.get_data(
        as_text=True
    )
    response = staff_client.post(url, data={"reason": "来賓の随行者"})
    assert response.status_code == 302 and third.status == "confirmed"
    assert event.frames[0].taken == 2
    [entry] = _entries(event, "promote")
    assert (entry.reason, entry.actor_id, entry.after["status"]) == (
        "来賓の随行者",
        staff.id,
        "confirmed",
    )
    assert entry.before["position"] == 1


def test_raising_capacity_from_the_manage_page_is_recorded_with_whom_it_promoted(
    staff_client, staff, make_event, make_user
):  # fmt: skip
    event, _, queue = _full_event_with_waitlist(make_event, make_user)
    staff_client.post(
        f"/staff/events/{event.id}/frames/{event.frames[0].id}/capacity", data={"capacity": "2"}
    )
    assert queue[0].status == "confirmed"
    [capacity] = _entries(event, "capacity")
    assert (capacity.before["capacity"], capacity.after["capacity"]) == (1, 2)
    assert capacity.after["promoted"] == [queue[0].reference] and capacity.actor_id == staff.id
    [promoted] = _entries(event, "promote")
    assert promoted.subject_id == queue[0].user_id


def test_a_cancellation_on_behalf_is_recorded_and_readable_per_person(
    staff_client, staff, make_event, make_user
):  # fmt: skip
    event, seated, _ = _full_event_with_waitlist(make_event, make_user, waiting=1)
    staff_client.post(f"/staff/events/{event.id}/registrations/{seated.id}/cancel")
    [entry] = audit_for_user(seated.user_id)
    assert entry.action == "cancel" and entry.before["status"] == "confirmed"
    page = staff_client.get(f"/staff/accounts/people/{seated.user_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "職員によるキャンセル" in html
    assert event.title in html and seated.reference in html


def test_a_persons_page_shows_only_the_staff_actions_of_events_the_viewer_manages(
    client, staff_client, make_event, make_user
):  # fmt: skip
    minato, _, queue = _full_event_with_waitlist(make_event, make_user, waiting=2,
                                                 unit="branch:minato")  # fmt: skip
    staff_client.post(f"/staff/events/{minato.id}/waitlist/{queue[1].id}/move",
                      data={"position": "1", "reason": "会頭の紹介"})  # fmt: skip
    person = f"/staff/accounts/people/{queue[1].user_id}"
    html = staff_client.get(person).get_data(as_text=True)
    assert "キャンセル待ちの順番変更" in html and "会頭の紹介" in html
    login(client, make_user("staff", unit_key="branch:chiyoda"))
    other = client.get(person).get_data(as_text=True)
    assert "会頭の紹介" not in other and "職員による操作の記録はまだありません。" in other


def test_the_waitlist_and_audit_of_another_units_event_answer_404(client, make_event, make_user):
    event = make_event(unit="branch:minato")
    login(client, make_user("staff", unit_key="branch:chiyoda"))
    assert client.get(f"/staff/events/{event.id}/waitlist").status_code == 404
    assert client.get(f"/staff/events/{event.id}/audit").status_code == 404


def test_a_registration_of_another_event_cannot_be_moved(staff_client, make_event, make_user):
    event, _, _ = _full_event_with_waitlist(make_event, make_user, waiting=1)
    _other, _, [theirs] = _full_event_with_waitlist(make_event, make_user, waiting=1)
    response = staff_client.post(
        f"/staff/events/{event.id}/waitlist/{theirs.id}/move",
        data={"position": "1", "reason": "x"},
    )
    assert response.status_code == 404
    assert db.session.get(Registration, theirs.id).queue_rank == 0
