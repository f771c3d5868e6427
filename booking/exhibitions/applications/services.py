"""Exhibitor applications, the applicant's side: apply, withdraw (staff review: review.py).

Rules: one application per company per exhibition (a unique constraint; a withdrawn one may
be renewed); applications only inside the exhibition's window, unless staff record one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from booking.accounts.models import Company, User
from booking.errors import Conflict, Invalid, NotAllowed, NotFound
from booking.exhibitions.models import (
    BOOTH_SIZES,
    PARTICIPATION,
    Booth,
    Exhibition,
    Exhibitor,
)
from booking.extensions import db
from booking.org.models import Unit
from booking.textnorm import (
    is_katakana,
    nfkc,
    normalise_email,
    normalise_member_no,
    normalise_phone,
    to_katakana,
)
from booking.timefmt import as_utc, format_deadline

# Statuses an applicant may still withdraw from.
WITHDRAWABLE = ("applied", "waitlisted", "accepted")


@dataclass
class ApplicationInput:
    products: str
    category_ids: list[int] = field(default_factory=list)
    booth_size_wish: str = "standard"
    participation: str = "in_person"
    contact_name: str = ""
    contact_kana: str = ""
    contact_email: str = ""
    contact_phone: str = ""


def window_state(exhibition: Exhibition, now: datetime) -> str:
    """`open`, `not_open` (before the window, or none set yet) or `closed` (after it)."""
    opens, closes = exhibition.applications_open_at, exhibition.applications_close_at
    if opens is None or now < as_utc(opens):
        return "not_open"
    if closes is not None and now >= as_utc(closes):
        return "closed"
    return "open"


def check_window(exhibition: Exhibition, now: datetime) -> None:
    """:raises NotAllowed: the application window is not open."""
    state = window_state(exhibition, now)
    if state == "not_open" and exhibition.applications_open_at is None:
        raise NotAllowed(_("出展申込の受付はまだ始まっていません。"), code="not_open")
    if state == "not_open":
        raise NotAllowed(
            _("出展申込の受付は%(when)sからです。",
              when=format_deadline(exhibition.applications_open_at)),
            code="not_open",
        )  # fmt: skip
    if state == "closed":
        raise NotAllowed(_("出展申込の受付は終了しました。"), code="closed")


def application_of_company(exhibition: Exhibition, company_id: int | None) -> Exhibitor | None:
    if company_id is None:
        return None
    return db.session.scalar(
        select(Exhibitor).where(
            Exhibitor.exhibition_id == exhibition.id, Exhibitor.company_id == company_id
        )
    )


def section_choices() -> list[Unit]:
    """The chamber's sections (部会): an application's categories."""
    return list(
        db.session.scalars(select(Unit).where(Unit.kind == "section").order_by(Unit.position))
    )


def _clean(data: ApplicationInput) -> tuple[ApplicationInput, list[Unit]]:
    """Normalise what was typed and check it; the form checks too, the API may not.

    :raises Invalid: with the field at fault.
    """
    data.products = (data.products or "").strip()
    data.contact_name = nfkc(data.contact_name)
    data.contact_kana = to_katakana(data.contact_kana)
    data.contact_email = normalise_email(data.contact_email)
    data.contact_phone = normalise_phone(data.contact_phone)
    if not data.products:
        raise Invalid(_("出展する製品・サービスを入力してください。"), field="products")
    if data.booth_size_wish not in BOOTH_SIZES:
        raise Invalid(_("小間の大きさを選んでください。"), field="booth_size_wish")
    if data.participation not in PARTICIPATION:
        raise Invalid(_("出展形式を選んでください。"), field="participation")
    ids = {int(i) for i in data.category_ids if str(i).isdigit()}
    units = [u for u in section_choices() if u.id in ids]
    if not units or len(units) != len(ids):
        raise Invalid(_("出展カテゴリ（部会）を1つ以上選んでください。"), field="categories")
    for name in ("contact_name", "contact_kana", "contact_email", "contact_phone"):
        if not getattr(data, name):
            raise Invalid(_("入力してください。"), field=name)
    if not is_katakana(data.contact_kana):
        raise Invalid(_("フリガナはひらがなかカタカナで入力してください。"), field="contact_kana")
    if "@" not in data.contact_email.strip("@"):
        raise Invalid(_("メールアドレスの形式が正しくありません。"), field="contact_email")
    return data, units


def check_can_apply(exhibition: Exhibition, user: User, now: datetime) -> Exhibitor | None:
    """May this person apply for their company now? Returns its withdrawn application, if
    any (it is renewed), else None.

    :raises NotAllowed: a guest or an account without a company; the window is not open.
    :raises Conflict: the company has applied already (`already_applied`).
    """
    if not getattr(user, "is_authenticated", False) or user.company_id is None:
        raise NotAllowed(
            _("出展申込には会員企業のアカウントでのログインが必要です。"), code="no_company"
        )
    if user.role == "guest":
        raise NotAllowed(_("出展申込は会員企業の方のみ行えます。"), code="no_company")
    exhibitor = application_of_company(exhibition, user.company_id)
    _refuse_second(exhibitor)
    if exhibition.event.status == "cancelled":
        raise NotAllowed(_("この展示会は中止になりました。"), code="cancelled")
    check_window(exhibition, now)
    return exhibitor


def _refuse_second(exhibitor: Exhibitor | None) -> None:
    if exhibitor is not None and exhibitor.status != "withdrawn":
        raise Conflict(_("この展示会にはすでに申し込まれています。"), code="already_applied")


def apply_for_exhibition(
    exhibition: Exhibition,
    user: User,
    data: ApplicationInput,
    now: datetime,
    *,
    company: Company | None = None,
) -> Exhibitor:
    """A company's application. Staff may pass `company` to record one for it (on paper,
    by phone), also outside the window.

    :raises NotAllowed: a guest or an account without a company; the window is not open.
    :raises Conflict: the company has applied already (`already_applied`).
    :raises Invalid: a field is missing or wrong.
    """
    if company is None:
        exhibitor = check_can_apply(exhibition, user, now)
    else:
        if not (getattr(user, "is_authenticated", False) and user.is_staff):
            raise NotAllowed(_("他社の申込を登録できるのは職員だけです。"))
        exhibitor = application_of_company(exhibition, company.id)
        _refuse_second(exhibitor)
    company_id = company.id if company is not None else user.company_id
    data, units = _clean(data)
    renewed = exhibitor is not None
    if exhibitor is None:
        exhibitor = Exhibitor(exhibition_id=exhibition.id, company_id=company_id, sequence=0)
    exhibitor.applicant_id = user.id
    exhibitor.status = "applied"
    exhibitor.products = data.products
    exhibitor.booth_size_wish, exhibitor.participation = data.booth_size_wish, data.participation
    exhibitor.contact_name, exhibitor.contact_kana = data.contact_name, data.contact_kana
    exhibitor.contact_email, exhibitor.contact_phone = data.contact_email, data.contact_phone
    exhibitor.categories = units
    exhibitor.review_note, exhibitor.reviewed_at, exhibitor.reviewed_by_id = "", None, None
    if renewed:
        exhibitor.sequence += 1
    try:
        with db.session.begin_nested():
            db.session.add(exhibitor)
            db.session.flush()
    except IntegrityError:
        # Two people of one company sent the form at once: the unique constraint decided.
        raise Conflict(
            _("この展示会にはすでに申し込まれています。"), code="already_applied"
        ) from None
    return exhibitor


def withdraw_application(exhibitor: Exhibitor, user: User, now: datetime) -> Exhibitor:
    """The applicant withdraws; an accepted exhibitor's booths become free.

    :raises Conflict: already withdrawn, or rejected.
    """
    changed = db.session.execute(
        update(Exhibitor)
        .where(Exhibitor.id == exhibitor.id, Exhibitor.status.in_(WITHDRAWABLE))
        .values(status="withdrawn", sequence=Exhibitor.sequence + 1, updated_at=now)
        .execution_options(synchronize_session=False, directory_of=[exhibitor.exhibition_id])
    ).rowcount
    if not changed:
        raise Conflict(_("この申込は取り下げられません。"), code="not_withdrawable")
    free_booths(exhibitor)
    db.session.refresh(exhibitor)
    return exhibitor


def free_booths(exhibitor: Exhibitor) -> None:
    db.session.execute(
        update(Booth)
        .where(Booth.exhibitor_id == exhibitor.id)
        .values(exhibitor_id=None, assigned_at=None, assigned_by_id=None)
        .execution_options(synchronize_session=False, directory_of=[exhibitor.exhibition_id])
    )


def _locked(model, row_id: int):
    """The row, read afresh and locked until commit (PostgreSQL; SQLite writes one at a
    time already)."""
    row = db.session.scalar(
        select(model)
        .where(model.id == row_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise NotFound()
    return row


def lock_exhibition(exhibition_id: int) -> Exhibition:
    """The exhibition: acceptances against its limit are decided one at a time."""
    return _locked(Exhibition, exhibition_id)


def lock_exhibitor(exhibitor_id: int) -> Exhibitor:
    """The exhibitor: its status and its booths change one at a time."""
    return _locked(Exhibitor, exhibitor_id)


def number(exhibitor: Exhibitor) -> str:
    """受付番号 of an application."""
    return f"X-{exhibitor.id:06d}"


def company_by_member_no(member_no: str) -> Company:
    """:raises Invalid: no member company with that number."""
    company = db.session.scalar(
        select(Company).where(Company.member_no == normalise_member_no(member_no))
    )
    if company is None:
        raise Invalid(_("その会員番号の会社は見つかりません。"), field="member_no")
    return company
