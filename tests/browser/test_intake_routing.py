"""The intake routes a 事業承継 question to the succession specialist; the member books with
the suggestion and the advisor reads the answers on the desk before the meeting."""

import pytest

from booking.consultations.catalogue import theme_by_slug
from booking.consultations.routing_format import routing_from_text
from booking.extensions import db
from tests.browser.test_consultation_journey import _fits_a_phone, _sign_in

# The consultation factories (used through request.getfixturevalue).
from tests.consultations.conftest import catalogue, make_advisor  # noqa: F401

pytestmark = pytest.mark.browser

QUESTIONNAIRE = """
後継者は決まっていますか | Have you chosen a successor?
- 親族に決まっている | Yes, a family member → advisor={email}, channel=online
- まだ決まっていない | Not yet
株式の状況 | Shareholding
- 社長がほぼすべて保有している | The president holds almost all
- 分散している | Spread out
"""


def test_the_intake_routes_a_succession_question_to_the_specialist(
    page, live_server, member, axe_check, request
):
    make = request.getfixturevalue("make_advisor")
    make(themes=("succession",), channels=("online", "branch"))  # another advisor of the theme
    specialist = make(themes=("succession",), channels=("online", "branch"),
                      family_name="承継", given_name="正樹")  # fmt: skip
    theme = theme_by_slug("succession")
    theme.routing = routing_from_text(QUESTIONNAIRE.format(email=specialist.user.email))
    db.session.commit()
    specialist_id, specialist_user = specialist.id, specialist.user

    _sign_in(page, live_server, member)
    page.goto(live_server + "/consultations/")
    page.locator("main").get_by_role("link", name="事業承継", exact=True).click()
    page.get_by_role("heading", name="ご相談前の質問").wait_for()
    axe_check(page, "the questionnaire")
    _fits_a_phone(page, "the questionnaire")
    page.get_by_label("親族に決まっている").check()
    page.get_by_label("分散している").check()
    page.get_by_role("button", name="おすすめを見る").click()
    suggestion = page.locator(".routing-suggestion")
    suggestion.get_by_text(
        "この内容でしたら『事業承継』の専門相談員（オンライン可）をおすすめします。"
    ).wait_for()
    assert "承継 正樹" in suggestion.inner_text()
    axe_check(page, "the suggestion")
    _fits_a_phone(page, "the suggestion")

    page.get_by_role("link", name="おすすめの内容で日時を選ぶ").click()
    page.get_by_role("heading", name="日時を選んでください").wait_for()
    assert page.locator("#advisor").input_value() == str(specialist_id)
    page.locator("a.slot").first.click()
    page.get_by_role("heading", name="ご相談内容の入力").wait_for()
    assert "承継 正樹" in page.locator("dl.facts").inner_text()
    page.get_by_label("ご相談の概要").fill("長男への事業承継")
    page.get_by_role("button", name="予約内容を確認する").click()
    page.get_by_role("button", name="予約を確定する").click()
    page.get_by_text("ご予約を承りました。").wait_for()
    intake = page.locator("dl.intake").inner_text()
    assert "後継者は決まっていますか" in intake and "親族に決まっている" in intake

    page.goto(live_server + "/account/logout")
    page.context.clear_cookies()
    _sign_in(page, live_server, specialist_user, lands_on="相談スケジュール")
    assert "親族に決まっている" in page.locator("main").inner_text()
    axe_check(page, "the advisor's schedule")
