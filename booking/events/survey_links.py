"""Whether an event has a survey, and the link to it (the thank-you mail and My Page)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from booking.events.models import Event
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


def survey_url(event: Event) -> str:
    """The absolute link for mail, or "" when the event has no survey (known already when
    the event was loaded for a registration: `Event.has_survey`)."""
    known = event.has_survey
    if not (has_survey(event.id) if known is None else known):
        return ""
    return current_app.config["BASE_URL"] + survey_path(event.id)
