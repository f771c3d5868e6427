"""`demo load`: the past event has a survey the demo member attended and has not answered,
so My Page offers it; another attendee asked for reasonable accommodation."""

from __future__ import annotations

from sqlalchemy import select

from booking.demo import DEMO_PASSWORD
from booking.events.models import Event, Registration
from booking.events.survey_models import SurveyResponse
from booking.extensions import db
from tests.conftest import login


def test_the_demo_member_is_offered_the_past_events_survey(runner, app, client):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    past = db.session.scalar(select(Event).where(Event.title.contains("工場見学会")))
    answers = db.session.scalars(select(SurveyResponse).where(SurveyResponse.event_id == past.id))
    assert len(list(answers)) >= 5
    from booking.accounts.models import User

    member = db.session.scalar(select(User).where(User.email == "member@demo.tsunagu.jp"))
    assert login(client, member, DEMO_PASSWORD).status_code == 302
    page = client.get("/mypage/").get_data(as_text=True)
    assert f"/events/{past.id}/survey" in page
    asked = db.session.scalars(
        select(Registration).where(
            Registration.event_id == past.id, Registration.accommodation_note != ""
        )
    )
    assert len(list(asked)) == 1
