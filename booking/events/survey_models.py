"""Post-event surveys (アンケート): an event's questions and the attendees' answers.

An answer row keeps its registration only to allow one answer per person; nothing shows who
gave it (staff read a summary and a CSV without names, other members read nothing)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.dbtypes import UTCDateTime
from booking.events.models import Event
from booking.extensions import db
from booking.timefmt import now_utc

# choice: one of `choices`; scale: 1 (low) to 5 (high); text: free text.
SURVEY_KINDS = ("choice", "scale", "text")
SCALE = (1, 2, 3, 4, 5)


class SurveyQuestion(db.Model):
    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="scale")
    choices: Mapped[list] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)

    event: Mapped[Event] = relationship()

    @property
    def key(self) -> str:
        return f"s{self.id}"


class SurveyResponse(db.Model):
    """One attendee's answers ({question key: value}); one per registration."""

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
