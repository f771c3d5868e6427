"""Staff run an event's back office in a real browser at 360 px: move a person up the
waitlist with a reason, run a weighted lottery, and undo a mistaken check-in."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from booking.events.models import Registration, StaffAction
from booking.events.registrations import register_for_frame, waitlist_position
from booking.extensions import db
from booking.timefmt import as_utc, now_utc
from tests.browser.test_events_journey import _sign_in

PHONE = {"width": 360, "height": 780}


def _fits(page, label: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{label} scrolls sideways at 360 px ({width})"


def _people(make_user, event, n, start=0):
    regs = [
        register_for_frame(
            make_user("member", family_name=f"会員{i}", family_kana=f"カイイン{'アイウエオカキクケコ'[i]}"),
            event.id, event.frames[0].id, {}, now_utc(),
        )
        for i in range(start, start + n)
    ]  # fmt: skip
    db.session.commit()
    return regs


def test_staff_move_up_the_waitlist_run_a_weighted_lottery_and_undo_a_check_in(
    page, live_server, axe_check, make_event, make_user, staff, clock
):  # fmt: skip
    seminar = make_event(title="事業承継セミナー", capacity=1)
    seated, *waiting = _people(make_user, seminar, 3)
    lottery = make_event(
        title="人気の工場見学会", capacity=1, lottery=True, closes_at=now_utc() + timedelta(hours=1)
    )
    _people(make_user, lottery, 3, start=3)
    seminar_id, lottery_id, frame_id = seminar.id, lottery.id, lottery.frames[0].id
    moved_id, seated_id = waiting[1].id, seated.id
    _sign_in(page, live_server, staff)
    page.set_viewport_size(PHONE)

    # The waitlist: the second person goes to the top, with a reason.
    page.goto(f"{live_server}/staff/events/{seminar_id}/waitlist")
    page.get_by_text("キャンセル待ち2番目").wait_for()
    axe_check(page, "waitlist")
    _fits(page, "the waitlist")
    row = page.locator(f"#reg-{moved_id}")
    row.get_by_text("順番を変更する", exact=True).first.click()
    row.get_by_label("新しい順番").fill("1")
    row.get_by_label("理由").fill("講師からの依頼のため")
    axe_check(page, "waitlist with a move open")
    row.get_by_role("button", name="順番を変更する").click()
    page.get_by_text("1番目に移しました").wait_for()
    db.session.rollback()
    assert waitlist_position(db.session.get(Registration, moved_id)) == 1
    db.session.commit()  # SQLite: hold no transaction while the server works
    page.get_by_role("link", name="操作履歴").click()
    page.get_by_text("講師からの依頼のため").wait_for()
    axe_check(page, "audit log")
    _fits(page, "the audit log")

    # The lottery, after its deadline, weighted; the seed comes from the system.
    clock.move_to(now_utc() + timedelta(hours=2))
    page.goto(f"{live_server}/staff/events/{lottery_id}/frames/{frame_id}/lottery")
    assert page.locator("input[name=seed]").count() == 0
    page.get_by_label("重み付けあり", exact=False).check()
    axe_check(page, "lottery")
    _fits(page, "the lottery page")
    page.get_by_role("button", name="抽選を実施する").click()
    page.get_by_text("抽選を実施しました").wait_for()
    db.session.rollback()
    entry = db.session.scalar(select(StaffAction).where(StaffAction.action == "lottery"))
    assert entry.after["weighting"] == "weighted" and entry.after["won"] == 1
    db.session.commit()
    page.get_by_role("link", name="抽選順を再現する").click()
    page.get_by_text("初参加").first.wait_for()
    axe_check(page, "lottery replay")

    # The door, on the seminar's day: a mistaken check-in is undone.
    db.session.rollback()
    event_start = as_utc(db.session.get(type(seminar), seminar_id).starts_at)
    token = db.session.get(Registration, seated_id).pass_token
    db.session.commit()
    clock.move_to(event_start - timedelta(minutes=30))
    page.goto(f"{live_server}/staff/events/{seminar_id}/checkin")
    scanner = page.get_by_label("参加証のQRコードを読み取ってください")
    scanner.fill(token)
    scanner.press("Enter")
    page.get_by_text("受付しました").wait_for()
    _fits(page, "the door")
    item = page.locator(f"#checked-{seated_id}")
    item.get_by_text("受付を取り消す", exact=True).first.click()
    item.get_by_label("取り消す理由（任意）").fill("別の方の参加証でした")
    axe_check(page, "door with an undo open")
    item.get_by_role("button", name="受付を取り消す").click()
    page.get_by_text("受付を取り消しました").wait_for()
    db.session.rollback()
    assert db.session.get(Registration, seated_id).checked_in_at is None
