"""Every domain's models, imported in one place so the metadata (and Alembic) sees them all."""

# ruff: noqa: F401
from booking.accounts.models import AccountChange, AccountToken, ApiToken, Company, User
from booking.calendars.models import FeedToken
from booking.consultations.models import (
    Advisor,
    AvailabilityException,
    Channel,
    Consultation,
    ConsultationDay,
    ConsultationRecord,
    SupportCase,
    Theme,
    WeeklyAvailability,
)
from booking.events.models import (
    Event,
    EventSession,
    Frame,
    Question,
    Registration,
    StaffAction,
)
from booking.exhibitions.models import (
    Bookmark,
    Booth,
    Entry,
    Exhibition,
    Exhibitor,
    ExhibitorLogo,
    Lead,
    Meeting,
    MeetingHours,
    Zone,
)
from booking.notifications.models import OutboxMessage, ReminderRule
from booking.org.models import Unit
