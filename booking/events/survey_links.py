"""Whether an event has a survey, and the link to it (the thank-you mail and My Page)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from booking.events.survey_models import SurveyQuestion
from booking.extensions import db


def has_survey(event_id: int) -> bool:
    """Staff attached at least one question to the event."""
    found = db.session.scalar(
        select(SurveyQuestion.id).where(SurveyQuestion.event_id == event_id).limit(1)
    )
    return found is not None


def survey_path(event_id: int) -> str:
    return f"/events/{event_id}/survey"


def survey_url(event_id: int) -> str:
    """The absolute link for mail, or "" when the event has no survey."""
    if not has_survey(event_id):
        return ""
    return current_app.config["BASE_URL"] + survey_path(event_id)
