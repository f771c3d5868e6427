"""Every domain's models, imported in one place so the metadata (and Alembic) sees them all."""

from booking.accounts.models import AccountToken, ApiToken, Company, User
from booking.consultations.models import Channel, Theme
from booking.events.models import Event, EventSession, Frame, Question, Registration
from booking.notifications.models import OutboxMessage
from booking.org.models import Unit

__all__ = [
    "AccountToken", "ApiToken", "Channel", "Company", "Event", "EventSession", "Frame",
    "OutboxMessage", "Question", "Registration", "Theme", "Unit", "User",
]  # fmt: skip
