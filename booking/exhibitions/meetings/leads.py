"""Leads: a visitor's consent to share their contact with one exhibitor, and its export.

Nothing about a visitor reaches an exhibitor's lead list without a consent row, and a
withdrawn consent hides the lead again (the row stays, so the withdrawal is on record).
Consent comes from three places: the checkbox when booking a meeting, the visitor confirming
on the exhibitor's booth page (reached by the QR code at the booth), and the exhibitor scanning
the visitor's entry pass after the visitor agreed on the spot.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from booking.accounts.models import User
from booking.errors import Invalid, NotAllowed, NotFound
from booking.events.passes import registration_for_pass
from booking.exhibitions.models import LEAD_SOURCES, Exhibitor, Lead
from booking.exhibitions.policy import acts_for
from booking.extensions import db
from booking.timefmt import to_local


def source_labels() -> dict[str, str]:
    return {"meeting": _("商談予約時"), "booth": _("ブースで確認"), "scan": _("来場証の読み取り")}


def record_consent(exhibitor: Exhibitor, visitor: User, source: str, now: datetime) -> Lead:
    """Record (or renew, after a withdrawal) the visitor's consent; an active one is kept as is.

    :raises NotAllowed: the visitor acts for this exhibitor.
    """
    if source not in LEAD_SOURCES:
        raise ValueError(source)
    if acts_for(visitor, exhibitor):
        raise NotAllowed(_l("自社の出展者には連絡先を共有できません。"), code="own_exhibitor")
    lead = _lead(exhibitor.id, visitor.id)
    if lead is None:
        # Two consents at once (a scan while the visitor confirms on the booth page): the
        # unique constraint lets one insert win; the other finds its row and renews it.
        try:
            with db.session.begin_nested():
                lead = Lead(exhibitor_id=exhibitor.id, visitor_id=visitor.id, source=source,
                            consented_at=now)  # fmt: skip
                db.session.add(lead)
            return lead
        except IntegrityError:
            lead = _lead(exhibitor.id, visitor.id)
    if lead.withdrawn_at is not None:
        lead.withdrawn_at, lead.source, lead.consented_at = None, source, now
        db.session.flush()
    return lead


def _lead(exhibitor_id: int, visitor_id: int) -> Lead | None:
    return db.session.scalar(
        select(Lead).where(Lead.exhibitor_id == exhibitor_id, Lead.visitor_id == visitor_id)
    )


def active_lead(exhibitor: Exhibitor, visitor: User) -> Lead | None:
    lead = _lead(exhibitor.id, visitor.id)
    return lead if lead is not None and lead.withdrawn_at is None else None


def withdraw_consent(exhibitor_id: int, visitor: User, now: datetime) -> bool:
    """The visitor takes their consent back; returns whether there was one to withdraw."""
    result = db.session.execute(
        update(Lead)
        .where(
            Lead.exhibitor_id == exhibitor_id,
            Lead.visitor_id == visitor.id,
            Lead.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def consent_by_scan(exhibitor: Exhibitor, token: str, agreed: bool, now: datetime) -> Lead:
    """The exhibitor scans a visitor's entry pass (the visitor agreed on the spot).

    :raises Invalid: the agreement box is not ticked.
    :raises NotFound: not a confirmed pass of this fair's visitor event.
    """
    if not agreed:
        raise Invalid(
            _l("来場者の同意を確認したら、チェックを入れてください。"),
            field="agreed", code="consent_required",
        )  # fmt: skip
    reg = registration_for_pass(token)
    if reg is None or reg.event_id != exhibitor.exhibition.event_id or reg.status != "confirmed":
        raise NotFound(
            _l("この展示会の来場証ではありません。もう一度読み取ってください。"),
            field="token", code="unknown_pass",
        )  # fmt: skip
    return record_consent(exhibitor, reg.user, "scan", now)


def leads_of(exhibitor: Exhibitor) -> list[Lead]:
    """Consented (not withdrawn) leads, newest first."""
    return list(
        db.session.scalars(
            select(Lead)
            .where(Lead.exhibitor_id == exhibitor.id, Lead.withdrawn_at.is_(None))
            .options(selectinload(Lead.visitor).selectinload(User.company))
            .order_by(Lead.consented_at.desc(), Lead.id.desc())
        )
    )


def consents_of_visitor(visitor: User) -> list[Lead]:
    """The exhibitors a visitor shares their contact with (My Page)."""
    return list(
        db.session.scalars(
            select(Lead)
            .where(Lead.visitor_id == visitor.id, Lead.withdrawn_at.is_(None))
            .options(selectinload(Lead.exhibitor).selectinload(Exhibitor.company))
            .order_by(Lead.consented_at.desc())
        )
    )


def shared_visitor_ids(exhibitor: Exhibitor, visitor_ids) -> set[int]:
    ids = list(set(visitor_ids))
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Lead.visitor_id).where(
                Lead.exhibitor_id == exhibitor.id,
                Lead.visitor_id.in_(ids),
                Lead.withdrawn_at.is_(None),
            )
        )
    )


def lead_table(exhibitor: Exhibitor) -> tuple[list, list[list]]:
    """(header, rows) of the lead CSV, one row per consented lead, in the active locale."""
    labels = source_labels()
    header = [_("氏名"), _("フリガナ"), _("会社名"), _("メールアドレス"), _("電話番号"),
              _("同意の方法"), _("同意日時")]  # fmt: skip
    rows = []
    for lead in leads_of(exhibitor):
        person = lead.visitor
        rows.append([
            person.full_name, person.full_kana, person.company.name if person.company else "",
            person.email, person.phone, labels.get(lead.source, lead.source),
            to_local(lead.consented_at).strftime("%Y-%m-%d %H:%M"),
        ])  # fmt: skip
    return header, rows
