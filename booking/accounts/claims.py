"""Verified membership: a person proves they belong to a member company by its 会員番号 and one
fact the membership roster holds (the company's phone number or postal code).

- An exact match joins the company at once (role member, the company set), recorded in the
  person's change history, with a confirmation mail.
- A near miss (the number exists, but the fact differs by one digit, or the roster holds no
  such fact for the company) becomes a pending claim that staff approve or refuse with a note;
  the person gets a mail either way.
- Anything else is wrong, and the answer never says which part was: the number and the fact
  are refused together. `MAX_FAILURES` wrong claims within `LOCK_WINDOW` lock claims for the
  account. Failures are counted on the account row against the app's clock (not by
  Flask-Limiter, which counts requests by the wall clock): the lock holds across processes,
  on SQLite and PostgreSQL alike, and tests move time with the clock.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from booking.accounts.changes import record_change
from booking.accounts.models import Company, MembershipClaim, User
from booking.accounts.names import addressed_name
from booking.errors import Conflict, Invalid, NotAllowed, NotFound
from booking.extensions import db
from booking.notifications.services import plan_message
from booking.textnorm import nfkc, normalise_member_no, normalise_phone, normalise_postal_code
from booking.timefmt import as_utc

MAX_FAILURES = 5
LOCK_WINDOW = timedelta(hours=1)
POSTAL_DIGITS = 7
MAX_NOTE = 1000


def may_claim(user: User) -> bool:
    """Whom the claim page is for: a signed-in person who is not a verified member yet."""
    return bool(user.is_authenticated and user.active and user.role in ("guest", "member")
                and not user.is_member)  # fmt: skip


def may_decide_claims(user: User) -> bool:
    """Staff (every branch's front desk meets members) approve or refuse pending claims."""
    return bool(user.is_authenticated and user.is_staff)


def digits(value: str | None) -> str:
    """The digits of a phone number or postal code as typed: full-width, hyphens, spaces,
    〒 and brackets do not count."""
    return re.sub(r"\D", "", nfkc(value))


def fact_kind(value: str | None) -> str | None:
    """`postal` for seven digits, `phone` for a phone number, else None."""
    found = digits(value)
    if len(found) == POSTAL_DIGITS:
        return "postal"
    if 10 <= len(found) <= 15:
        return "phone"
    return None


def _one_edit_apart(a: str, b: str) -> bool:
    """One digit wrong, missing, extra, or two neighbours swapped (a typing slip)."""
    if a == b:
        return True
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]  # fmt: skip
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def match(company: Company | None, kind: str, typed: str) -> str:
    """How a claim's fact compares with the roster: `exact`, `near` or `wrong` (the rule)."""
    if company is None or not company.member_no:
        return "wrong"
    on_file = digits(company.phone if kind == "phone" else company.postal_code)
    if not on_file:
        return "near"  # the number exists, but the roster holds nothing to check against
    if on_file == typed:
        return "exact"
    return "near" if _one_edit_apart(on_file, typed) else "wrong"


def _count_failure(user: User, now: datetime) -> None:
    """One more wrong claim; the count starts again an hour after its first failure."""
    since = user.claim_failures_since
    if since is None or as_utc(since) + LOCK_WINDOW <= now:
        user.claim_failures, user.claim_failures_since = 1, now
    else:
        user.claim_failures += 1


def locked_until(user: User, now: datetime) -> datetime | None:
    """When claims open again for the person, or None when they are not locked."""
    if user.claim_failures < MAX_FAILURES or user.claim_failures_since is None:
        return None
    until = as_utc(user.claim_failures_since) + LOCK_WINDOW
    return until if until > now else None


def pending_claim_of(user: User) -> MembershipClaim | None:
    return db.session.scalar(
        select(MembershipClaim).where(
            MembershipClaim.user_id == user.id, MembershipClaim.outcome == "pending"
        )
    )


def claim_membership(user: User, member_no: str, fact: str, now: datetime) -> MembershipClaim:
    """Check a claim and act on it; returns the recorded claim (its `outcome` says which).

    :raises NotAllowed: claims are locked for the account, or it is not one that claims.
    :raises Invalid: the fact is neither a phone number nor a postal code.
    :raises Conflict: a near miss while another claim waits for staff.
    """
    # One claim of an account at a time (PostgreSQL): five parallel tries cannot pass the lock.
    db.session.refresh(user, with_for_update=True)
    if not may_claim(user):
        raise NotAllowed(_l("このアカウントは既に会員として確認されています。"))
    if locked_until(user, now) is not None:
        raise NotAllowed(_l("確認できないことが続いたため、1時間ほど会員確認を受け付けません。時間をおいてもう一度お試しください。"))  # fmt: skip
    kind = fact_kind(fact)
    if kind is None:
        raise Invalid(_l("会社の電話番号（例: 03-1234-5678）または郵便番号（例: 100-0005）を入力してください。"), field="fact")  # fmt: skip
    number = normalise_member_no(member_no)
    company = db.session.scalar(select(Company).where(Company.member_no == number)) if number else None  # fmt: skip
    outcome = match(company, kind, digits(fact))
    if outcome == "wrong":
        _count_failure(user, now)
        return MembershipClaim(user_id=user.id, outcome="wrong")  # not kept: nothing typed stays
    shown = normalise_phone(fact) if kind == "phone" else normalise_postal_code(fact)
    if outcome == "near":
        if pending_claim_of(user) is not None:
            raise Conflict(_l("確認中の申請があります。事務局からのご連絡をお待ちください。"))
        return _record(user, company, "pending", kind, shown, now)
    claim = _record(user, company, "joined", kind, shown, now)
    _join(claim, actor=user, now=now)
    return claim


def _record(user, company, outcome: str, kind: str, fact: str, now: datetime) -> MembershipClaim:
    claim = MembershipClaim(user_id=user.id, company_id=company.id if company else None,
                            outcome=outcome, fact_kind=kind, fact=fact[:32], created_at=now)  # fmt: skip
    db.session.add(claim)
    db.session.flush()
    return claim


def _join(claim: MembershipClaim, actor: User, now: datetime) -> None:
    """The person joins the claim's company as a member; recorded and mailed."""
    person, company = claim.user, claim.company
    before = f"{person.role} {person.company.member_no or ''}".strip() if person.company else person.role  # fmt: skip
    record_change(
        person, actor, "membership", before, f"{company.name}（{company.member_no}）", now
    )
    person.company = company
    person.role = "member"
    _mail(claim, "membership_joined", now)


def claim_for_staff(claim_id: int, actor: User) -> MembershipClaim:
    """A claim staff may look at (pending or decided).

    :raises NotFound: none, or the actor is not staff."""
    claim = db.session.get(MembershipClaim, claim_id)
    if claim is None or not may_decide_claims(actor):
        raise NotFound(_l("申請が見つかりません。"))
    return claim


def approve_claim(claim: MembershipClaim, actor: User, note: str, now: datetime) -> None:
    """Staff confirm a pending claim: the person joins the company.

    :raises NotAllowed | Conflict: not staff; the claim was decided already."""
    _decide(claim, actor, "approved", note, now)
    _join(claim, actor=actor, now=now)


def refuse_claim(claim: MembershipClaim, actor: User, note: str, now: datetime) -> None:
    """Staff refuse a pending claim with a note the person reads in the mail.

    :raises Invalid: no note. :raises NotAllowed | Conflict: as `approve_claim`."""
    if not nfkc(note):
        raise Invalid(_l("お断りする理由をご本人へのメッセージとして入力してください。"), field="note")  # fmt: skip
    _decide(claim, actor, "refused", note, now)
    _mail(claim, "membership_refused", now)


def _decide(claim: MembershipClaim, actor: User, outcome: str, note: str, now: datetime) -> None:
    if not may_decide_claims(actor):
        raise NotAllowed(_l("会員確認の申請を判断する権限がありません。"))
    db.session.refresh(claim, with_for_update=True)  # two staff at once: one decides
    if claim.outcome != "pending":
        raise Conflict(_l("この申請は既に判断されています。"))
    if len(note or "") > MAX_NOTE:
        raise Invalid(_l("メッセージは%(n)s文字以内で入力してください。", n=MAX_NOTE), field="note")
    claim.outcome, claim.note = outcome, (note or "").strip()
    claim.decided_by_id, claim.decided_at = actor.id, now


def _mail(claim: MembershipClaim, template: str, now: datetime) -> None:
    person, company = claim.user, claim.company
    base = current_app.config["BASE_URL"]
    plan_message(
        f"membership:{claim.id}:{template}", person.email, template,
        {"name": addressed_name(person, person.locale), "company": company.name,
         "member_no": company.member_no, "note": claim.note,
         "mypage_url": f"{base}/mypage/", "events_url": f"{base}/events/",
         "claim_url": f"{base}/account/membership"},
        locale=person.locale, about=f"user:{person.id}", due_at=now,
    )  # fmt: skip


def claims_by_outcome(outcome: str, limit: int = 200) -> list[MembershipClaim]:
    """Claims staff see: pending ones oldest first; decided ones newest first."""
    order = (MembershipClaim.created_at if outcome == "pending" else MembershipClaim.decided_at.desc())  # fmt: skip
    return list(
        db.session.scalars(
            select(MembershipClaim).where(MembershipClaim.outcome == outcome)
            .order_by(order, MembershipClaim.id).limit(limit)
        )
    )  # fmt: skip


def pending_count() -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(MembershipClaim)
        .where(MembershipClaim.outcome == "pending")
    )


def claims_of(user: User) -> list[MembershipClaim]:
    """The person's own claims, newest first."""
    return list(
        db.session.scalars(
            select(MembershipClaim)
            .where(MembershipClaim.user_id == user.id)
            .order_by(MembershipClaim.created_at.desc(), MembershipClaim.id.desc())
        )
    )


def fact_on_file(company: Company, kind: str) -> str:
    """What the roster holds for the claim's kind of fact (staff compare it with the claim)."""
    return (company.phone if kind == "phone" else company.postal_code) or ""
