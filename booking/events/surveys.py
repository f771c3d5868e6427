"""Post-event surveys (アンケート): who may answer, the answer itself, and what staff read.

Who may answer is one rule (`answerable_registration`): a person who attended the event —
`policy.attended`, the same rule as the thank-you mail — once it has started. Answers are
anonymous: the summary and the CSV never name anyone, and no API answer or feed carries
them. The questions are edited by the event's staff; a question that has answers is kept,
so that what people answered still means what they were asked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from booking.errors import Conflict, Invalid, NotFound
from booking.events import notices
from booking.events.models import Event, Registration
from booking.events.policy import attended
from booking.events.survey_links import has_survey
from booking.events.survey_models import SCALE, SURVEY_KINDS, SurveyQuestion, SurveyResponse
from booking.extensions import db
from booking.textnorm import nfkc
from booking.timefmt import as_utc, to_local

MAX_QUESTIONS = 20
MAX_CHOICES = 10
TEXT_MAX = 2000


def questions_of(event_id: int) -> list[SurveyQuestion]:
    return list(
        db.session.scalars(
            select(SurveyQuestion)
            .where(SurveyQuestion.event_id == event_id)
            .order_by(SurveyQuestion.position, SurveyQuestion.id)
        )
    )


# ---- who answers


def may_answer(reg: Registration | None, now: datetime) -> bool:
    """The one rule: the person came (checked in, or joined the online frame), the event has
    started and it has a survey."""
    return (
        reg is not None
        and attended(reg)
        and reg.event.status != "cancelled"
        and as_utc(reg.event.starts_at) <= now
        and has_survey(reg.event_id)
    )


def answerable_registration(event_id: int, user, now: datetime) -> Registration:
    """The person's registration of the event that may answer its survey.

    :raises NotFound: no survey, or the person did not attend (nobody learns which).
    """
    reg = db.session.scalar(
        select(Registration).where(
            Registration.event_id == event_id, Registration.active_user_id == user.id
        )
    )
    if not may_answer(reg, now):
        raise NotFound(_l("アンケートが見つかりません。"))
    return reg


def has_answered(reg: Registration) -> bool:
    found = db.session.scalar(
        select(SurveyResponse.id).where(SurveyResponse.registration_id == reg.id)
    )
    return found is not None


def survey_pending(reg: Registration, now: datetime) -> bool:
    """My Page offers the survey: the person may answer and has not yet."""
    return may_answer(reg, now) and not has_answered(reg)


def clean_answers(questions: list[SurveyQuestion], raw: dict) -> dict:
    """{key: value} with choices among the question's, scales 1–5, text trimmed.

    :raises Invalid: a required question is unanswered or a value is not one offered.
    """
    clean: dict = {}
    for q in questions:
        value = raw.get(q.key)
        value = nfkc(value) if isinstance(value, str) else value
        if value in (None, ""):
            if q.required:
                raise Invalid(_l("回答してください。"), field=q.key)
            continue
        if q.kind == "scale":
            if str(value) not in {str(n) for n in SCALE}:
                raise Invalid(_l("1から5の中から選んでください。"), field=q.key)
            value = int(value)
        elif q.kind == "choice" and value not in q.choices:
            raise Invalid(_l("選択肢の中から選んでください。"), field=q.key)
        elif q.kind == "text":
            value = str(value)[:TEXT_MAX]
        clean[q.key] = value
    return clean


def submit_answers(reg: Registration, raw: dict, now: datetime) -> SurveyResponse:
    """Store the person's one answer.

    :raises Conflict: they already answered (also when two submits race).
    :raises Invalid: see `clean_answers`.
    """
    if has_answered(reg):
        raise Conflict(_l("このアンケートには回答済みです。"), code="already_answered")
    answer = SurveyResponse(
        event_id=reg.event_id, registration_id=reg.id,
        answers=clean_answers(questions_of(reg.event_id), raw), submitted_at=now,
    )  # fmt: skip
    try:
        with db.session.begin_nested():
            db.session.add(answer)
    except IntegrityError:
        raise Conflict(_l("このアンケートには回答済みです。"), code="already_answered") from None
    return answer


# ---- staff: the questions


def response_count(event_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(SurveyResponse).where(SurveyResponse.event_id == event_id)
    )


def add_question(event: Event, label: str, kind: str, choices: list[str], required: bool):
    """Append a question; the thank-you mails not sent yet get the survey's link.

    :raises Invalid: no label, an unknown kind, a choice question with fewer than two choices.
    """
    label = nfkc(label)[:200]
    if not label:
        raise Invalid(_l("質問を入力してください。"), field="label")
    if kind not in SURVEY_KINDS:
        raise Invalid(_l("選んでください。"), field="kind")
    existing = questions_of(event.id)
    if len(existing) >= MAX_QUESTIONS:
        raise Invalid(_l("質問は%(n)s問までです。", n=MAX_QUESTIONS), field="label")
    options = list(dict.fromkeys(c for c in (nfkc(c)[:100] for c in choices) if c))
    if kind == "choice" and not 2 <= len(options) <= MAX_CHOICES:
        raise Invalid(
            _l("選択肢を2〜%(n)s個、1行に1つずつ入力してください。", n=MAX_CHOICES), field="choices"
        )
    position = max((q.position for q in existing), default=0) + 1
    db.session.add(SurveyQuestion(
        event_id=event.id, position=position, label=label, kind=kind,
        choices=options if kind == "choice" else [], required=bool(required),
    ))  # fmt: skip
    db.session.flush()
    if not existing:
        notices.replan_thanks(event)


def question_of(event: Event, question_id: int) -> SurveyQuestion:
    """:raises NotFound: no such question, or another event's."""
    question = db.session.get(SurveyQuestion, question_id)
    if question is None or question.event_id != event.id:
        raise NotFound(_l("質問が見つかりません。"))
    return question


def remove_question(event: Event, question: SurveyQuestion) -> None:
    """:raises Conflict: people already answered."""
    if response_count(event.id):
        raise Conflict(_l("回答があるため、質問は削除できません。"), code="answered")
    db.session.delete(question)
    db.session.flush()
    if not has_survey(event.id):
        notices.replan_thanks(event)


# ---- staff: what people answered


@dataclass
class Bar:
    label: str
    count: int
    pct: int


@dataclass
class QuestionSummary:
    question: SurveyQuestion
    answered: int = 0
    bars: list[Bar] = field(default_factory=list)
    average: float | None = None
    texts: list[str] = field(default_factory=list)


def _responses(event_id: int) -> list[SurveyResponse]:
    return list(
        db.session.scalars(
            select(SurveyResponse)
            .where(SurveyResponse.event_id == event_id)
            .order_by(SurveyResponse.submitted_at, SurveyResponse.id)
        )
    )


def summary(event: Event) -> tuple[int, list[QuestionSummary]]:
    """(number of answers, per question: counts and shares of each choice or scale point,
    the average of a scale, the free texts), never who answered."""
    responses = _responses(event.id)
    result = []
    for q in questions_of(event.id):
        values = [r.answers[q.key] for r in responses if r.answers.get(q.key) not in (None, "")]
        item = QuestionSummary(q, answered=len(values))
        if q.kind == "text":
            item.texts = [str(v) for v in values]
        else:
            counts = Counter(str(v) for v in values)
            options = [str(n) for n in SCALE] if q.kind == "scale" else q.choices
            item.bars = [
                Bar(o, counts[o], round(100 * counts[o] / len(values)) if values else 0)
                for o in options
            ]
            if q.kind == "scale" and values:
                item.average = round(sum(int(v) for v in values) / len(values), 1)
        result.append(item)
    return len(responses), result


def survey_table(event: Event) -> tuple[list, list[list]]:
    """(header, rows) of the answers' CSV: one anonymous row per answer, in submit order."""
    questions = questions_of(event.id)
    header = [_("回答番号"), _("回答日")] + [q.label for q in questions]
    rows = [
        [n, to_local(r.submitted_at).strftime("%Y-%m-%d")]
        + [r.answers.get(q.key, "") for q in questions]
        for n, r in enumerate(_responses(event.id), start=1)
    ]
    return header, rows
