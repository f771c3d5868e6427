"""Post-event surveys: staff attach questions, only attendees answer (once, anonymously),
staff read a summary with bars and a CSV; nobody else reads anything."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from booking.accounts.services import issue_api_token
from booking.events.registrations import register_for_frame
from booking.events.survey_models import SurveyResponse
from booking.extensions import db
from booking.notifications import mailer
from booking.notifications.dispatcher import dispatch_due
from booking.timefmt import as_utc, now_utc
from tests.clock import CLOCK
from tests.conftest import login


@pytest.fixture
def event(make_event):
    return make_event(
        days=3, format="hybrid", online_url="https://meet.example.jp/j/42",
        frames=[dict(name="会場参加", mode="in_person", capacity=10),
                dict(name="オンライン参加", mode="online", capacity=10)],
    )  # fmt: skip


@pytest.fixture
def people(event, make_user):
    """came: checked in at the door; stayed_away: a no-show; online: the online frame."""
    regs = {}
    for name, frame in (("came", 0), ("stayed_away", 0), ("online", 1)):
        user = make_user("member", email=f"{name}@example.jp", given_name=name)
        regs[name] = register_for_frame(user, event.id, event.frames[frame].id, {}, now_utc())
    db.session.commit()
    dispatch_due()
    mailer.outbox_memory.clear()
    return regs


def _add_questions(staff_client, event) -> None:
    url = f"/staff/events/{event.id}/survey"
    for form in (
        {"label": "本日のセミナーの満足度", "kind": "scale", "required": "y"},
        {"label": "どこでお知りになりましたか", "kind": "choice",
         "choices": "会報誌\nメール\n知人の紹介"},
        {"label": "ご意見・ご感想", "kind": "text"},
    ):  # fmt: skip
        assert staff_client.post(url, data=form).status_code == 302


def _as(app, reg):
    client = app.test_client()
    assert login(client, reg.user).status_code == 302
    return client


def _after_the_event(staff_client, event, people) -> None:
    CLOCK.move_to(as_utc(event.starts_at) - timedelta(minutes=20))
    door = staff_client.post(
        f"/staff/events/{event.id}/checkin", data={"token": people["came"].pass_token}
    )
    assert door.status_code == 200
    CLOCK.move_to(as_utc(event.ends_at) + timedelta(hours=5))


def _keys(event_id: int) -> list[str]:
    from booking.events.surveys import questions_of

    return [q.key for q in questions_of(event_id)]


def test_the_thank_you_mail_links_the_survey_and_only_attendees_answer_it(
    app, staff_client, event, people
):  # fmt: skip
    _add_questions(staff_client, event)
    _after_the_event(staff_client, event, people)
    dispatch_due(now=as_utc(event.ends_at) + timedelta(hours=4))
    thanked = {m["To"]: m for m in mailer.outbox_memory}
    assert set(thanked) == {"came@example.jp", "online@example.jp"}
    text = thanked["came@example.jp"].get_body(("plain",)).get_content()
    assert (
        f"http://localhost/events/{event.id}/survey" in text or f"/events/{event.id}/survey" in text
    )

    scale, choice, free = _keys(event.id)
    for name in ("came", "online"):
        client = _as(app, people[name])
        mypage = client.get("/mypage/").get_data(as_text=True)
        assert f"/events/{event.id}/survey" in mypage and "アンケートに回答する" in mypage
        page = client.get(f"/events/{event.id}/survey")
        assert page.status_code == 200 and "本日のセミナーの満足度" in page.get_data(as_text=True)
        answer = {
            scale: "5" if name == "came" else "4",
            choice: "メール",
            free: "とても参考になりました",
        }
        assert client.post(f"/events/{event.id}/survey", data=answer).status_code == 302
        # One answer per person: the page now thanks, a second post stores nothing.
        assert "ご回答ありがとうございました" in client.get(f"/events/{event.id}/survey").get_data(
            as_text=True
        )
        client.post(f"/events/{event.id}/survey", data=answer)
        assert "アンケートに回答する" not in client.get("/mypage/").get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 2

    # The no-show and a stranger: 404, and no offer on My Page.
    no_show = _as(app, people["stayed_away"])
    assert no_show.get(f"/events/{event.id}/survey").status_code == 404
    assert no_show.post(f"/events/{event.id}/survey", data={scale: "1"}).status_code == 404
    assert "アンケートに回答する" not in no_show.get("/mypage/").get_data(as_text=True)

    # Staff read the summary (bars, average, texts) and the CSV, without names.
    results = staff_client.get(f"/staff/events/{event.id}/survey/results").get_data(as_text=True)
    assert "回答数: 2件" in results and "平均 4.5" in results and 'aria-label="50%"' in results
    assert "とても参考になりました" in results
    assert "came" not in results and "山田" not in results
    response = staff_client.get(f"/staff/events/{event.id}/survey.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["回答番号", "回答日", "本日のセミナーの満足度", "どこでお知りになりましたか",
                       "ご意見・ご感想"]  # fmt: skip
    assert sorted(r[2] for r in rows[1:]) == ["4", "5"]
    assert all("山田" not in cell and "@" not in cell for row in rows for cell in row)


def test_members_never_read_survey_answers(app, staff_client, event, people, make_user):
    _add_questions(staff_client, event)
    _after_the_event(staff_client, event, people)
    scale = _keys(event.id)[0]
    attendee = _as(app, people["came"])
    assert attendee.post(f"/events/{event.id}/survey", data={scale: "3"}).status_code == 302
    for client in (attendee, _as(app, people["online"])):
        for path in ("/survey", "/survey/results", "/survey.csv"):
            assert client.get(f"/staff/events/{event.id}{path}").status_code == 404
    # Staff of another unit do not manage the event.
    branch = app.test_client()
    login(branch, make_user("staff", unit_key="branch:chiyoda"))
    assert branch.get(f"/staff/events/{event.id}/survey/results").status_code == 404
    # No API answer carries them.
    token = issue_api_token(people["came"].user)
    db.session.commit()
    api = attendee.get("/api/v1/me/registrations", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200 and "survey" not in api.get_data(as_text=True).lower()


def test_a_survey_answer_is_checked_and_kept_when_wrong(app, staff_client, event, people):
    _add_questions(staff_client, event)
    _after_the_event(staff_client, event, people)
    scale, choice, free = _keys(event.id)
    client = _as(app, people["came"])
    for bad in ({scale: "", free: "途中まで書きました"}, {scale: "9", free: "途中まで書きました"},
                {scale: "3", choice: "<script>", free: "途中まで書きました"}):  # fmt: skip
        page = client.post(f"/events/{event.id}/survey", data=bad)
        assert page.status_code == 422
        assert "途中まで書きました" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0


def test_staff_edit_the_questions_until_someone_answers(app, staff_client, event, people):
    url = f"/staff/events/{event.id}/survey"
    assert staff_client.get(url).status_code == 200
    bad = staff_client.post(
        url, data={"label": "どれですか", "kind": "choice", "choices": "ひとつだけ"}
    )
    assert bad.status_code == 422 and "選択肢を2" in bad.get_data(as_text=True)
    assert "どれですか" in bad.get_data(as_text=True)
    _add_questions(staff_client, event)
    from booking.events.surveys import questions_of

    first = questions_of(event.id)[0]
    assert staff_client.post(f"{url}/questions/{first.id}/delete").status_code == 302
    assert len(questions_of(event.id)) == 2
    _after_the_event(staff_client, event, people)
    second = questions_of(event.id)[0]
    _as(app, people["came"]).post(f"/events/{event.id}/survey", data={second.key: "会報誌"})
    staff_client.post(f"{url}/questions/{second.id}/delete")
    assert len(questions_of(event.id)) == 2  # answered: kept
    assert staff_client.post(f"{url}/questions/999999/delete").status_code == 404


def test_an_event_without_a_survey_offers_none(app, staff_client, event, people):
    _after_the_event(staff_client, event, people)
    client = _as(app, people["came"])
    assert client.get(f"/events/{event.id}/survey").status_code == 404
    assert "アンケートに回答する" not in client.get("/mypage/").get_data(as_text=True)
