"""Every domain's models, imported in one place so the metadata (and Alembic) sees them all."""

# ruff: noqa: F401
from booking.accounts.models import AccountChange, AccountToken, ApiToken, Company, User
from booking.calendars.models import FeedToken
from booking.companies.models import CompanyAdmin, CompanyInvitation
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
from booking.events.certificates.models import Certificate, CertificateOffer, Material
from booking.events.models import (
    Event,
    EventSession,
    Frame,
    Question,
    Registration,
    StaffAction,
)
from booking.events.survey_models import SurveyQuestion, SurveyResponse
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
from booking.follows.models import DigestState, Follow
from booking.notifications.models import OutboxMessage, ReminderRule
from booking.org.models import Unit
