"""Intake routing: the rule (hand-made questionnaires), the catalogue's text format, and the
member's path questionnaire → suggestion → pre-filtered slot choice → intake → the desk."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from booking.consultations.catalogue import theme_by_slug
from booking.consultations.models import Consultation
from booking.consultations.routing import (
    Suggestion,
    carried_answer_texts,
    carry,
    parse_answers,
    suggest,
)
from booking.consultations.routing_format import routing_from_text, routing_to_text
from booking.consultations.slots import free_slots
from booking.errors import Invalid
from booking.extensions import db
from booking.timefmt import now_utc
from tests.conftest import login

SUCCESSION = [
    {"q": "後継者は決まっていますか", "q_en": "", "choices": [
        {"label": "親族に決まっている", "label_en": "", "channel": "online",
         "advisor": "heir@example.jp"},
        {"label": "まだ", "label_en": "", "theme": "management"},
    ]},
    {"q": "時期", "q_en": "", "choices": [
        {"label": "1年以内", "label_en": "", "channel": "branch", "branch": "chiyoda"},
        {"label": "未定", "label_en": ""},
    ]},
]  # fmt: skip


def test_the_first_question_naming_a_key_decides_it():
    assert suggest(SUCCESSION, {0: 0, 1: 0}) == Suggestion(
        channel="online", advisor="heir@example.jp", branch="chiyoda"
    )


def test_a_later_question_fills_what_earlier_answers_left_open():
    assert suggest(SUCCESSION, {0: 1, 1: 0}) == Suggestion(
        theme="management", channel="branch", branch="chiyoda"
    )


def test_no_answer_or_answers_out_of_range_suggest_nothing():
    assert not suggest(SUCCESSION, {})
    assert not suggest(SUCCESSION, {0: 7, 5: 0})
    assert not suggest([], {0: 0})
    assert suggest(SUCCESSION, {1: 1}) == Suggestion()


def test_answers_travel_in_the_url_and_malformed_ones_are_dropped():
    theme = SimpleNamespace(slug="succession", routing=SUCCESSION)
    assert carry(theme, {0: 1}) == "succession~1-"
    assert parse_answers("1-", SUCCESSION) == {0: 1}
    assert parse_answers("0-1", SUCCESSION) == {0: 0, 1: 1}
    assert parse_answers("9-x-0-0", SUCCESSION) == {}
    assert parse_answers("²-١", SUCCESSION) == {}
    assert parse_answers("", SUCCESSION) == {}


def test_staff_type_the_questionnaire_and_get_it_back():
    text = (
        "後継者は決まっていますか | Have you chosen a successor?\n"
        "- 親族に決まっている | Within the family → channel=online, advisor=Heir@Example.jp\n"
        "- まだ → theme=management\n"
    )
    routing = routing_from_text(text)
    assert routing[0]["q_en"] == "Have you chosen a successor?"
    assert routing[0]["choices"][0] == {
        "label": "親族に決まっている", "label_en": "Within the family", "channel": "online",
        "advisor": "heir@example.jp",
    }  # fmt: skip
    assert routing_from_text(routing_to_text(routing)) == routing


@pytest.mark.parametrize(
    "text",
    [
        "- 選択肢だけ",  # a choice before any question
        "質問\n- ひとつだけ",  # one choice is no question
        "質問\n- a → colour=red\n- b",  # an unknown key
        "質問\n- a → channel\n- b",  # no value
    ],
)
def test_a_questionnaire_it_cannot_read_is_refused(text):
    with pytest.raises(Invalid):
        routing_from_text(text)


ROUTING_TEXT = (
    "後継者は決まっていますか | Have you chosen a successor?\n"
    "- 親族に決まっている | Within the family → channel=online, advisor={email}\n"
    "- まだ決まっていない | Not yet\n"
    "株式の状況 | Shareholding\n"
    "- 社長が大半を保有 | Mostly the president\n"
    "- 分散している | Spread out\n"
)


def _save_theme(client, routing_text):
    theme = theme_by_slug("succession")
    return client.post(
        f"/staff/consultations/themes/{theme.id}",
        data={
            "name": theme.name, "name_en": theme.name_en, "about": theme.about,
            "about_en": "", "slot_minutes": 60, "buffer_minutes": 0, "min_notice_hours": 24,
            "horizon_days": 56, "cancel_cutoff_hours": 24, "questions": "",
            "routing": routing_text,
        },
    )  # fmt: skip


@pytest.fixture
def specialist(make_advisor):
    return make_advisor(
        themes=("succession",), channels=("online", "branch"), email="heir@example.jp",
        family_name="承継", given_name="正樹",
    )  # fmt: skip


@pytest.fixture
def routed_theme(client, make_user, specialist):
    login(client, make_user("staff"))
    assert _save_theme(client, ROUTING_TEXT.format(email=specialist.user.email)).status_code == 302
    client.post("/account/logout")
    return theme_by_slug("succession")


def test_staff_edit_the_questionnaire_in_the_catalogue(client, make_user, routed_theme):
    assert routed_theme.routing[0]["choices"][0]["advisor"] == "heir@example.jp"
    login(client, make_user("staff"))
    page = client.get(f"/staff/consultations/themes/{routed_theme.id}").get_data(as_text=True)
    assert "advisor=heir@example.jp" in page


def test_a_suggestion_naming_nobody_is_refused_and_keeps_what_was_typed(
    client, make_user, catalogue
):
    login(client, make_user("staff"))
    typed = ROUTING_TEXT.format(email="nobody@example.jp")
    response = _save_theme(client, typed)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "advisor=nobody@example.jp" in page and "見つかりません" in page
    assert theme_by_slug("succession").routing == []


def test_branch_staff_cannot_edit_the_questionnaire(client, make_user, catalogue):
    login(client, make_user("staff", unit_key="branch:minato"))
    assert _save_theme(client, "").status_code == 404


def test_the_theme_card_leads_to_the_questionnaire(client, routed_theme):
    page = client.get("/consultations/").get_data(as_text=True)
    assert "/consultations/questions/?theme=succession" in page
    page = client.get("/consultations/questions/?theme=succession").get_data(as_text=True)
    assert "後継者は決まっていますか" in page and "おすすめを見る" in page


def test_the_answers_suggest_the_specialist_and_the_slot_choice_is_pre_filtered(
    client, routed_theme, specialist
):
    page = client.get("/consultations/questions/?theme=succession&asked=1&q0=0&q1=1")
    text = page.get_data(as_text=True)
    assert "この内容でしたら『事業承継』の専門相談員（オンライン可）をおすすめします。" in text
    assert "承継 正樹" in text
    assert (
        f"/consultations/book?ra=succession~0-1&amp;theme=succession&amp;channel=online"
        f"&amp;branch=any&amp;advisor={specialist.id}" in text
    )
    grid = client.get(
        f"/consultations/book?ra=succession~0-1&theme=succession&channel=online&branch=any"
        f"&advisor={specialist.id}"
    ).get_data(as_text=True)
    assert "ra=succession~0-1" in grid and f"advisor={specialist.id}&amp;" in grid


def test_in_english_the_questions_and_suggestion_are_english(client, routed_theme, specialist):
    client.set_cookie("lang", "en")
    text = client.get("/consultations/questions/?theme=succession&asked=1&q0=0").get_data(
        as_text=True
    )
    assert "Have you chosen a successor?" in text and "Within the family" in text
    assert "we recommend" in text


def test_no_answer_offers_the_plain_slot_choice(client, routed_theme):
    text = client.get("/consultations/questions/?theme=succession&asked=1").get_data(as_text=True)
    assert "おすすめのご相談先" in text and "/consultations/book?theme=succession" in text


def test_an_unknown_or_inactive_theme_answers_404(client, routed_theme):
    assert client.get("/consultations/questions/?theme=nothing").status_code == 404
    routed_theme.active = False
    db.session.commit()
    assert client.get("/consultations/questions/?theme=succession").status_code == 404


def test_hostile_answers_never_break_the_page(client, routed_theme):
    for query in ("q0=99&q1=-1", "q0=abc", "q0=0&q0=1", "q7=0", "q0=²", "q0=１", "q0=" + "9" * 40):
        response = client.get(f"/consultations/questions/?theme=succession&asked=1&{query}")
        assert response.status_code == 200


def test_the_advisor_reads_the_routing_answers_before_the_meeting(
    client, member, routed_theme, specialist
):
    now = now_utc()
    slot = free_slots(routed_theme, now + timedelta(days=3), now + timedelta(days=20), now,
                      advisor_id=specialist.id, channel_slug="online")[0]  # fmt: skip
    login(client, member)
    response = client.post(
        "/consultations/book/intake",
        data={
            "theme": "succession", "channel": "online", "branch": "any",
            "advisor": str(specialist.id), "start": slot.start.isoformat(),
            "ra": "succession~0-1", "topic": "長男への承継", "action": "book",
        },
    )  # fmt: skip
    assert response.status_code == 302
    booked = db.session.scalar(select(Consultation))
    assert booked.answers == {
        "後継者は決まっていますか": "親族に決まっている",
        "株式の状況": "分散している",
    }
    client.post("/account/logout")
    login(client, specialist.user)
    day = slot.start.date().isoformat()
    schedule = client.get(f"/consultations/desk/?date={day}").get_data(as_text=True)
    assert "親族に決まっている" in schedule
    detail = client.get(f"/consultations/{booked.id}").get_data(as_text=True)
    assert "株式の状況" in detail and "分散している" in detail


def test_a_forged_carry_adds_no_answers(routed_theme):
    assert carried_answer_texts("succession~1-0") == {
        "後継者は決まっていますか": "まだ決まっていない",
        "株式の状況": "社長が大半を保有",
    }
    for ra in ("nothing~0-0", "succession~9-9", "succession", "x" * 500, None):
        assert carried_answer_texts(ra) == {}
