"""Every domain's models, imported in one place so the metadata (and Alembic) sees them all."""

from booking.accounts.models import AccountToken, ApiToken, Company, User
from booking.calendars.models import FeedToken
from booking.consultations.models import Channel, Theme
from booking.events.models import Event, Frame
from booking.notifications.models import OutboxMessage
from booking.org.models import Unit

__all__ = [
    "AccountToken", "ApiToken", "Channel", "Company", "Event", "FeedToken", "Frame", "OutboxMessage",
    "Theme", "Unit", "User",
]  # fmt: skip
