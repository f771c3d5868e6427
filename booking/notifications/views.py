"""Staff: the delivery log (/staff/outbox) — messages by status, errors, resend and cancel."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from booking.errors import DomainError, NotFound
from booking.extensions import db
from booking.notifications import services
from booking.notifications.models import STATUSES
from booking.staff.access import staff_required
from booking.timefmt import now_utc

bp = Blueprint("outbox", __name__, url_prefix="/staff/outbox")


def _filters() -> dict:
    args = request.values
    status = args.get("status", "")
    before = args.get("before", "")
    return {
        "status": status if status in STATUSES else "",
        "q": args.get("q", "").strip()[:100],
        "template": args.get("template", "").strip()[:100],
        "before": int(before) if before.isdigit() else None,
    }


@bp.get("/")
@staff_required
def index():
    filters = _filters()
    rows = services.list_messages(
        filters["status"], filters["q"], filters["template"], filters["before"]
    )
    more = len(rows) > services.PAGE_SIZE
    rows = rows[: services.PAGE_SIZE]
    return render_template(
        "notifications/outbox.html",
        messages=rows,
        counts=services.status_counts(),
        filters=filters,
        next_before=rows[-1].id if more and rows else None,
        statuses=STATUSES,
    )


def _back():
    filters = {k: v for k, v in _filters().items() if v}
    return redirect(url_for("outbox.index", **filters))


@bp.post("/<int:message_id>/resend")
@staff_required
def resend(message_id: int):
    try:
        services.resend_message(message_id, now_utc())
    except NotFound:
        abort(404)
    except DomainError:
        db.session.rollback()
        flash(_("このメールは再送できません（送信待ちまたは送信中です）。"), "error")
    else:
        db.session.commit()
        flash(_("メールを再送します。次の送信処理で送られます。"), "success")
    return _back()


@bp.post("/<int:message_id>/cancel")
@staff_required
def cancel(message_id: int):
    try:
        services.cancel_message(message_id, now_utc())
    except NotFound:
        abort(404)
    except DomainError:
        db.session.rollback()
        flash(_("このメールは送信済みのため取り消せません。"), "error")
    else:
        db.session.commit()
        flash(_("メールの送信を取り消しました。"), "success")
    return _back()
