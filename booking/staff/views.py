"""Staff dashboard (管理ダッシュボード)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select

from booking.events.catalogue import upcoming_events
from booking.extensions import db
from booking.notifications.models import OutboxMessage
from booking.staff.access import staff_required
from booking.timefmt import now_utc

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.get("/")
@staff_required
def dashboard():
    failed = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "failed")
    )
    events = upcoming_events(current_user, now_utc(), limit=20)
    from booking.consultations.reporting import today_by_branch

    return render_template("staff/dashboard.html", events=events, failed_mails=failed,
                           consultations_today=today_by_branch(now_utc()))  # fmt: skip
