"""The verified-membership part of `demo load`: the roster's phone numbers and postal codes of
the demo companies, a member company nobody has joined yet (the demo guest can claim it), a
second guest whose near-miss claim waits for staff, and an event with a member price.

Idempotent: companies by 会員番号, people by e-mail, the claim by its person, the event by title.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from booking.accounts.claims import claim_membership, claims_of
from booking.accounts.models import Company, User
from booking.accounts.services import PersonDetails, create_user
from booking.demo.events import _at, _event
from booking.extensions import db
from booking.org.services import unit_by_key

# 会員番号: (name, kana, branch, section, phone, postal code). 1300004 has no account yet:
# the demo guest (鈴木 一郎) joins it with 1300004 + 03-3283-7504 (or 100-0005).
ROSTER = {
    "1300001": ("株式会社山田製作所", "", "", "", "03-3283-7501", "100-0005"),
    "1300002": ("佐藤商事株式会社", "", "", "", "03-3283-7502", "105-0011"),
    "1300003": ("株式会社つなぐ食品", "", "", "", "03-3283-7503", "101-0021"),
    "1300004": ("株式会社鈴木商店", "カブシキガイシャスズキショウテン", "chiyoda", "commerce",
                "03-3283-7504", "100-0005"),
}  # fmt: skip
# A guest who typed 佐藤商事's phone with two digits swapped: a near miss staff decide on.
PENDING = ("guest2@demo.tsunagu.jp", "田中", "美穂", "タナカ", "ミホ", "1300002", "03-3283-7520")


def load_membership(now: datetime, password: str) -> int:
    """The roster facts, the second guest and their pending claim, the member-price event;
    returns how many companies it touched."""
    for member_no, (name, kana, branch, section, phone, postal) in ROSTER.items():
        company = db.session.scalar(select(Company).where(Company.member_no == member_no))
        if company is None:
            company = Company(member_no=member_no, name=name, name_kana=kana)
            company.branch = unit_by_key(f"branch:{branch}")
            company.section = unit_by_key(f"section:{section}")
            db.session.add(company)
        company.phone, company.postal_code = phone, postal
    db.session.flush()
    _pending_claim(now, password)
    _member_price_event(now)
    return len(ROSTER)


def _pending_claim(now: datetime, password: str) -> None:
    email, fam, giv, fam_k, giv_k, member_no, phone = PENDING
    guest = db.session.scalar(select(User).where(User.email == email))
    if guest is None:
        guest = create_user(
            email, password, "guest", PersonDetails(fam, giv, fam_k, giv_k, "090-1234-5678"),
            confirmed_at=datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")),
        )  # fmt: skip
        guest.company_name = "佐藤商事株式会社"
    if not claims_of(guest) and guest.role == "guest":
        claim_membership(guest, member_no, phone, now.astimezone(UTC))


def _member_price_event(now: datetime) -> None:
    """Members pay less; a guest sees the member price and how to claim membership."""
    _event(
        "決算書の読み方入門セミナー", "hq", "seminar", "in_person", _at(now, 13, 14), 2,
        [dict(name="会員参加", mode="in_person", capacity=40, audience="members",
              price_label="会員 2,000円（税込）"),
         dict(name="会場参加", mode="in_person", capacity=20, audience="guests",
              price_label="一般 5,000円（税込）")],
        summary="貸借対照表と損益計算書の基本を、中小企業の実例で学びます。会員の方は会員価格でご参加いただけます。",
        venue_name="東京商工会議所 本部 会議室", venue_address="東京都千代田区丸の内3-2-2",
    )  # fmt: skip
