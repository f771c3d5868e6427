"""Temporary: screenshots of the frames and series pages (not committed)."""

from datetime import timedelta

from booking.events.models import EventSession
from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import now_utc
from tests.browser.test_events_journey import _sign_in
from tests.events.conftest import event_factory

OUT = "/tmp/h7-frames"


def test_screens(page, live_server, make_user):
    make_event = event_factory()
    staff = make_user("staff", unit_key="branch:chiyoda")
    event = make_event(title="千代田支部 インボイス実務セミナー（ハイブリッド開催）", unit="branch:chiyoda",
                       format="hybrid", online_url="https://meet.example.jp/x", frames=[
        dict(name="会場参加", capacity=3, mode="in_person", price_label="会員 3,000円／一般 5,000円"),
        dict(name="オンライン参加", capacity=100, mode="online", per_company_limit=2),
        dict(name="学生枠", capacity=10, audience="guests", lottery=True,
             closes_at=now_utc() + timedelta(days=3)),
    ])  # fmt: skip
    event.per_company_limit = 3
    for i in range(3):
        s = event.starts_at + timedelta(days=7 * i)
        event.sessions.append(EventSession(title=f"第{i + 1}回 インボイスの基礎{i + 1}", starts_at=s,
                                           ends_at=s + timedelta(hours=2)))  # fmt: skip
    db.session.commit()
    for _ in range(5):
        register_for_frame(make_user("member"), event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    eid, fid, sid = event.id, event.frames[0].id, event.sessions[1].id
    _sign_in(page, live_server, staff)
    for lang in ("ja", "en"):
        if lang == "en":
            page.goto(live_server + "/")
            page.locator("form[action='/lang/en'] button").first.click()
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            for name, path in (("frames", f"/staff/events/{eid}/frames"),
                               ("frame-edit", f"/staff/events/{eid}/frames/{fid}/edit"),
                               ("sessions", f"/staff/events/{eid}/sessions"),
                               ("session-edit", f"/staff/events/{eid}/sessions/{sid}/edit"),
                               ("event-edit", f"/staff/events/{eid}/edit"),
                               ("manage", f"/staff/events/{eid}")):  # fmt: skip
                page.goto(live_server + path)
                page.screenshot(path=f"{OUT}/{name}-{lang}-{width}.png", full_page=True)
            # a refused capacity change
            page.goto(live_server + f"/staff/events/{eid}/frames/{fid}/edit")
            page.locator("#capacity").fill("1")
            page.get_by_role("button").filter(
                has_text="保存する" if lang == "ja" else "Save"
            ).first.click()
            page.screenshot(path=f"{OUT}/frame-refused-{lang}-{width}.png", full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= max(width, 375)
