"""The summary above a refused form says what kind of "no" it is: "please check what you
entered" when a field is wrong, "we could not complete this" when the state of things refused
it (a slot taken meanwhile, a full frame, a crowd) and nothing typed was wrong. Through the
pages, in Japanese and English. (The registration form lost to a crowd:
`tests/events/test_runs_again.py` and `tests/browser/test_busy_registration.py`.)"""

from __future__ import annotations

from datetime import timedelta

import pytest

from booking.consultations.catalogue import theme_by_slug
from booking.consultations.slots import free_slots
from booking.extensions import db
from booking.timefmt import now_utc, to_local
from tests.conftest import login

CHECK_INPUT = {"ja": "入力内容を確認してください", "en": "Please check what you entered"}
NOT_COMPLETED = {"ja": "お手続きを完了できませんでした", "en": "We could not complete this"}


def _sign_in(client, user, lang: str) -> None:
    user.locale = lang
    db.session.commit()
    assert login(client, user).status_code == 302


def _desk_booking(member, advisor, slot, topic: str) -> dict:
    local = to_local(slot.start)
    return {
        "member_email": member.email, "theme": "management", "channel": "online",
        "advisor": str(advisor.id), "day": local.date().isoformat(),
        "time": local.strftime("%H:%M"), "topic": topic,
    }  # fmt: skip


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_slot_taken_meanwhile_is_a_refusal_not_a_mistake_in_the_input(
    client, make_user, make_advisor, lang
):
    advisor, now = make_advisor(), now_utc()
    slot = free_slots(
        theme_by_slug("management"), now + timedelta(days=10), now + timedelta(days=20), now,
        advisor_id=advisor.id, channel_slug="online",
    )[0]  # fmt: skip
    _sign_in(client, make_user("staff"), lang)
    first = client.post("/consultations/desk/book",
                        data=_desk_booking(make_user("member"), advisor, slot, "資金繰り"))  # fmt: skip
    assert first.status_code == 302

    page = client.post("/consultations/desk/book",
                       data=_desk_booking(make_user("member"), advisor, slot, "事業承継の相談"))  # fmt: skip

    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "事業承継の相談" in html  # what was typed is still there
    assert NOT_COMPLETED[lang] in html and CHECK_INPUT[lang] not in html


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_missing_answer_asks_to_check_the_input(client, make_event, make_user, lang):
    event = make_event(questions=[dict(label="ご質問", kind="text", required=True)])
    _sign_in(client, make_user("member"), lang)

    page = client.post(
        f"/events/{event.id}/register", data={"frame": str(event.frames[0].id), "confirmed": "1"}
    )

    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert CHECK_INPUT[lang] in html and NOT_COMPLETED[lang] not in html
