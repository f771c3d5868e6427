"""Staff dashboard (管理ダッシュボード)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from booking.notifications.services import failed_count
from booking.staff.access import staff_required
from booking.staff.overview import dashboard_events
from booking.timefmt import now_utc

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.get("/")
@staff_required
def dashboard():
    from booking.consultations.reporting import today_by_branch

    now = now_utc()
    lines = dashboard_events(current_user, now)
    return render_template(
        "staff/dashboard.html", lines=lines, today=[line for line in lines if line.today],
        failed_mails=failed_count(), consultations_today=today_by_branch(now),
    )  # fmt: skip
