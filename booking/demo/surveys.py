"""The demo's past event has a survey: three questions, answers from most of the people who
came, and none yet from the demo member (who came), so My Page offers it to them."""

from __future__ import annotations

from sqlalchemy import select

from booking.events.models import Event, Registration
from booking.events.policy import attended
from booking.events.survey_models import SurveyQuestion, SurveyResponse
from booking.extensions import db

QUESTIONS = (
    dict(label="本日の見学会の満足度をお聞かせください", kind="scale", required=True),
    dict(label="見学会を何でお知りになりましたか", kind="choice",
         choices=["会報誌", "メールマガジン", "ウェブサイト", "知人の紹介"]),
    dict(label="今後取り上げてほしいテーマやご感想をお聞かせください", kind="text"),
)  # fmt: skip
COMMENTS = (
    "製造現場の自動化の工夫が大変参考になりました。",
    "次回は物流の現場も見学したいです。",
    "",
)


def load_survey(event: Event, skip_user_id: int | None) -> None:
    """Questions (once) and answers of the attendees other than `skip_user_id`."""
    if db.session.scalar(select(SurveyQuestion.id).where(SurveyQuestion.event_id == event.id)):
        return
    questions = []
    for position, fields in enumerate(QUESTIONS, start=1):
        question = SurveyQuestion(event_id=event.id, position=position, **fields)
        db.session.add(question)
        questions.append(question)
    db.session.flush()
    regs = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id).order_by(Registration.id)
    )
    scale, choice, text = (q.key for q in questions)
    for n, reg in enumerate(r for r in regs if attended(r) and r.user_id != skip_user_id):
        answers = {scale: (5, 4, 4, 3, 5)[n % 5], choice: QUESTIONS[1]["choices"][n % 4]}
        if comment := COMMENTS[n % 3]:
            answers[text] = comment
        db.session.add(SurveyResponse(
            event_id=event.id, registration_id=reg.id, answers=answers,
            submitted_at=event.ends_at,
        ))  # fmt: skip
    db.session.flush()
