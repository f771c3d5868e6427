"""相談記録 (consultation records): written after the session by the advisor; seen only by
the advisor and staff of the consultation's branch, never by members (`policy.may_see_record`)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from booking.accounts.models import User
from booking.consultations.models import Consultation, ConsultationRecord
from booking.consultations.policy import may_see_record
from booking.errors import Invalid, NotFound
from booking.extensions import db


def save_record(
    consultation: Consultation,
    user: User,
    *,
    attendance: str,
    outcome: str,
    follow_up: str,
    next_step: str,
    now: datetime,
) -> ConsultationRecord:
    """Write or update the 相談記録. :raises NotFound: the user may not see records of it."""
    if not may_see_record(user, consultation):
        raise NotFound(_l("ご予約が見つかりません。"), code="not_found")
    if attendance not in ("attended", "no_show"):
        raise Invalid(_l("出席状況を選んでください。"), field="attendance", code="bad_attendance")
    record = consultation.record
    if record is None:
        record = ConsultationRecord(consultation=consultation, created_at=now)
        db.session.add(record)
    record.attendance, record.outcome = attendance, outcome.strip()
    record.follow_up, record.next_step = follow_up.strip(), next_step.strip()
    record.written_by_id, record.updated_at = user.id, now
    db.session.flush()
    return record
