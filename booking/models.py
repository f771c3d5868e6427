"""Every domain's models, imported in one place so the metadata (and Alembic) sees them all."""

from booking.accounts.models import AccountToken, ApiToken, Company, User
from booking.consultations.models import (
    Advisor,
    AvailabilityException,
    Channel,
    Consultation,
    ConsultationDay,
    ConsultationRecord,
    Theme,
    WeeklyAvailability,
)
from booking.events.models import Event, Frame
from booking.notifications.models import OutboxMessage
from booking.org.models import Unit

__all__ = [
    "AccountToken", "Advisor", "ApiToken", "AvailabilityException", "Channel", "Company",
    "Consultation", "ConsultationDay", "ConsultationRecord", "Event", "Frame", "OutboxMessage",
    "Theme", "Unit", "User", "WeeklyAvailability",
]  # fmt: skip
