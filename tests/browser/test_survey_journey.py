"""An attendee answers the post-event survey on a phone (375 px): from My Page to the thanks,
axe clean; staff then read the bars. Screenshots of the pages go to artifacts/ to look at."""

from __future__ import annotations

from datetime import timedelta

from booking.events.registrations import register_for_frame
from booking.extensions import db
from booking.timefmt import as_utc, now_utc
from tests.browser.conftest import ARTIFACTS
from tests.clock import CLOCK
from tests.conftest import PASSWORD


def _sign_in(page, base, user, lands_on="マイページ"):
    email = user.email
    db.session.commit()  # SQLite: hold no transaction (no write lock) while the server works
    page.goto(base + "/account/login")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログインする").click()
    page.get_by_role("heading", name=lands_on).wait_for()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"survey-{name}.png"), full_page=True)


def test_an_attendee_answers_the_survey_on_a_phone(
    page, live_server, axe_check, make_event, make_user, member, staff_client
):  # fmt: skip
    event = make_event(title="工場見学会", days=2)
    reg = register_for_frame(member, event.id, event.frames[0].id, {}, now_utc())
    db.session.commit()
    for form in ({"label": "本日の満足度", "kind": "scale", "required": "y"},
                 {"label": "どこでお知りになりましたか", "kind": "choice", "choices": "会報誌\nメール"},
                 {"label": "ご感想", "kind": "text"}):  # fmt: skip
        assert staff_client.post(f"/staff/events/{event.id}/survey", data=form).status_code == 302
    CLOCK.move_to(as_utc(event.starts_at) + timedelta(minutes=5))
    staff_client.post(f"/staff/events/{event.id}/checkin", data={"token": reg.pass_token})
    CLOCK.move_to(as_utc(event.ends_at) + timedelta(hours=5))
    officer = make_user("staff", family_name="本部", given_name="花子")
    event_id = event.id
    db.session.commit()  # SQLite: the test holds no read transaction while the server writes

    page.set_viewport_size({"width": 375, "height": 800})
    _sign_in(page, live_server, member)
    page.get_by_role("link", name="アンケートに回答する").click()
    page.get_by_role("heading", name="アンケート").wait_for()
    axe_check(page, "survey form")
    page.get_by_role("button", name="回答を送信する").click()
    page.get_by_role(
        "heading", name="入力内容を確認してください"
    ).wait_for()  # the scale is required
    axe_check(page, "survey form with an error")
    page.get_by_label("5（満足）").check()
    page.get_by_label("メール").check()
    page.get_by_label("ご感想").fill("現場の工夫が参考になりました")
    _shot(page, "form-375")
    page.get_by_role("button", name="回答を送信する").click()
    page.get_by_text("ご回答ありがとうございました").wait_for()
    axe_check(page, "survey thanks")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page overflows at 375 px: {width}"
    page.goto(live_server + "/mypage/")
    assert page.get_by_role("link", name="アンケートに回答する").count() == 0

    # Staff read the bars (in a browser of their own).
    context = page.context.browser.new_context(
        locale="ja-JP", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    _sign_in(page, live_server, officer, lands_on="管理ダッシュボード")
    page.goto(f"{live_server}/staff/events/{event_id}/survey/results")
    page.get_by_role("heading", name="アンケート集計").wait_for()
    axe_check(page, "survey results")
    assert page.get_by_text("現場の工夫が参考になりました").count() == 1
    _shot(page, "results-1280")
    page.goto(f"{live_server}/staff/events/{event_id}/survey")
    axe_check(page, "survey questions")
    _shot(page, "questions-1280")
    context.close()
