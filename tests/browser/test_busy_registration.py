"""A member whose registration lost its race on every run (a crowd on the last seats) is told
so on the form, in their language, with what they typed still there; on a phone too."""

from sqlalchemy import select

from booking.accounts.models import User
from booking.events import registrations
from booking.events.models import Registration
from booking.extensions import db
from booking.timefmt import now_utc
from booking.unit_of_work import RUNS
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_events_journey import _sign_in

TYPED = "事業承継の進め方を伺いたいです"


def test_a_registration_lost_on_every_run_keeps_the_typed_answer_and_says_why(
    page, live_server, axe_check, make_event, make_user, member, monkeypatch
):
    event = make_event(
        title="事業承継セミナー", capacity=30,
        questions=[dict(label="ご質問", kind="text", required=False)],
    )  # fmt: skip
    holder = registrations.register_for_frame(
        make_user("member"), event.id, event.frames[0].id, {}, now_utc()
    )
    taken, draws, event_id, holder_id = holder.reference, [], event.id, holder.user_id
    monkeypatch.setattr(registrations, "new_reference", lambda: draws.append(taken) or taken)
    member_id = member.id
    _sign_in(page, live_server, member)
    shots = ARTIFACTS / "busy"
    shots.mkdir(parents=True, exist_ok=True)

    for lang, busy, heading in (
        ("ja", "ただいま大変混み合っております。", "お手続きを完了できませんでした"),
        ("en", "We are very busy at the moment.", "We could not complete this"),
    ):
        db.session.get(User, member_id).locale = lang
        db.session.commit()  # SQLite: hold no lock while the server answers the browser
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server}/events/{event_id}/register")
        page.get_by_label("ご質問").fill(TYPED)
        page.locator("form button[type=submit]").last.click()  # to the confirmation page
        page.locator("form button[type=submit]").last.click()  # confirm
        page.get_by_text(busy).wait_for()
        page.get_by_role("heading", name=heading).wait_for()  # not "check what you entered"
        assert page.get_by_label("ご質問").input_value() == TYPED
        axe_check(page, f"registration form, busy ({lang})")
        page.screenshot(path=str(shots / f"busy-{lang}-1280.png"), full_page=True)
        page.set_viewport_size({"width": 375, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path=str(shots / f"busy-{lang}-375.png"), full_page=True)

    assert len(draws) == 2 * RUNS  # each confirmation ran every run, and kept nothing
    kept = db.session.scalars(select(Registration.user_id).where(Registration.event_id == event_id))
    assert list(kept) == [holder_id]
