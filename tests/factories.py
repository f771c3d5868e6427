"""The test suite's one set of factories: plain callables, usable in fixtures, helpers and
threads alike. Fixtures named after them (`make_event`, `make_user`) live in conftest.py.

    event = make_event(capacity=2, lottery=True)
    user = make_user("staff", unit_key="branch:chiyoda")
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count

from booking.accounts.models import Company, User
from booking.accounts.services import PersonDetails, create_user
from booking.events.models import Event, Frame, Question
from booking.extensions import db
from booking.org.services import unit_by_key
from booking.timefmt import now_utc

PASSWORD = "correct-horse-1"
_numbers = count(1)
FRAME_FIELDS = ("audience", "per_company_limit", "lottery", "waitlist", "closes_at", "opens_at",
                "mode", "price_label")  # fmt: skip


def make_event(
    capacity: int = 50, days: float = 7, status: str = "published", frames=None, questions=(),
    unit: str = "hq", title: str = "経営者向けDXセミナー", starts_at: datetime | None = None,
    ends_at: datetime | None = None, **fields,
) -> Event:  # fmt: skip
    """A committed event of `unit`, `days` from now (or at `starts_at`), two hours long.

    One in-person frame "会場参加" of `capacity` unless `frames` lists them (`frames=[]`: none);
    frame settings (`lottery=True`, `per_company_limit=1`, …) go to that default frame; any
    other keyword is a field of the event.
    """
    start = starts_at or now_utc() + timedelta(days=days)
    frame_fields = {k: fields.pop(k) for k in FRAME_FIELDS if k in fields}
    event = Event(
        title=title, kind=fields.pop("kind", "seminar"), format=fields.pop("format", "in_person"),
        unit=unit_by_key(unit), starts_at=start, ends_at=ends_at or start + timedelta(hours=2),
        status=status, venue_name=fields.pop("venue_name", "本部 会議室"),
        venue_address=fields.pop("venue_address", "東京都千代田区丸の内3-2-2"), **fields,
    )  # fmt: skip
    if frames is None:
        frames = [dict(name="会場参加", capacity=capacity, **frame_fields)]
    for i, f in enumerate(frames):
        event.frames.append(Frame(position=i, taken=0, **f))
    for i, q in enumerate(questions):
        event.questions.append(Question(position=i, **q))
    db.session.add(event)
    db.session.commit()
    return event


def make_user(
    role: str = "member", email: str | None = None, password: str = PASSWORD,
    unit_key: str | None = None, company=None, **names,
) -> User:  # fmt: skip
    """A committed, confirmed account; a member gets a company of its own unless given one;
    staff, advisors and admins belong to HQ unless `unit_key` says otherwise."""
    n = next(_numbers)
    details = PersonDetails(
        names.get("family_name", "山田"), names.get("given_name", f"太郎{n}"),
        names.get("family_kana", "ヤマダ"), names.get("given_kana", "タロウ"),
        names.get("phone", "03-1234-5678"),
    )  # fmt: skip
    if unit_key is None and role in ("staff", "advisor", "admin"):
        unit_key = "hq"
    if company is None and role == "member":
        company = Company(name=f"株式会社テスト{n}", name_kana="テスト", member_no=f"99{n:05d}")
        db.session.add(company)
    user = create_user(
        email or f"{role}{n}@example.jp", password, role, details, company=company,
        unit_key=unit_key, confirmed_at=now_utc(),
    )  # fmt: skip
    db.session.commit()
    return user
