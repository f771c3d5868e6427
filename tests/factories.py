"""The test suite's one set of factories: plain callables, usable in fixtures, helpers and
threads alike. Fixtures named after them (`make_event`, `make_user`) live in conftest.py,
`make_fair` and `make_exhibitor` in tests/exhibitions/conftest.py.

    event = make_event(capacity=2, lottery=True)
    user = make_user("staff", unit_key="branch:chiyoda")
    fair = make_fair(days_ahead=0)
    exhibitor, exhibitor_user = make_exhibitor(fair, status="applied")
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import count

from booking.accounts.models import Company, User
from booking.accounts.services import PersonDetails, create_user
from booking.events.models import Event, EventSession, Frame, Question
from booking.exhibitions.models import Booth, Exhibition, Exhibitor, MeetingHours, Zone
from booking.extensions import db
from booking.org.models import Unit
from booking.org.services import unit_by_key
from booking.timefmt import local_zone, now_utc

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


@dataclass
class Fair:
    exhibition: Exhibition
    event: Event
    days: list[date]  # local dates

    @property
    def id(self) -> int:
        return self.exhibition.id


def make_fair(days_ahead: int = 14, n_days: int = 2, booths_per_zone: int = 6,
              exhibitor_limit: int | None = None, status: str = "published",
              capacity: int = 10_000, **rules) -> Fair:  # fmt: skip
    """A committed trade fair: the visitor event (kind exhibition, one session a day 10:00–17:00
    local, an in-person and an online frame), its Exhibition, zones A and B with booths A-01…,
    B-01…; `days_ahead=0` opens it today."""
    zone = local_zone()
    first = (now_utc() + timedelta(days=days_ahead)).astimezone(zone).date()
    days = [first + timedelta(days=i) for i in range(n_days)]
    opens = [datetime.combine(d, time(10, 0), tzinfo=zone) for d in days]
    event = Event(
        title="中小企業マーケットTOKYO", kind="exhibition", format="hybrid",
        unit=unit_by_key("hq"), starts_at=opens[0], ends_at=opens[-1] + timedelta(hours=7),
        status=status, venue_name="東京ビッグサイト 西展示棟", venue_address="東京都江東区有明3-11-1",
    )  # fmt: skip
    for start in opens:
        event.sessions.append(EventSession(starts_at=start, ends_at=start + timedelta(hours=7)))
    event.frames.append(
        Frame(position=0, name="会場来場", mode="in_person", capacity=capacity, taken=0)
    )
    event.frames.append(
        Frame(position=1, name="オンライン来場", mode="online", capacity=capacity, taken=0)
    )
    exhibition = Exhibition(
        event=event, exhibitor_limit=exhibitor_limit, entrances=["東口", "西口"],
        meeting_minutes=rules.pop("meeting_minutes", 30), **rules,
    )  # fmt: skip
    db.session.add(exhibition)
    db.session.flush()
    for zi, (code, name) in enumerate((("A", "食品・飲料"), ("B", "ものづくり・IT"))):
        z = Zone(exhibition_id=exhibition.id, code=code, name=name, position=zi)
        db.session.add(z)
        db.session.flush()
        for i in range(booths_per_zone):
            db.session.add(Booth(
                exhibition_id=exhibition.id, zone_id=z.id, code=f"{code}-{i + 1:02d}",
                x=i * 2, y=zi * 3, w=2, h=2,
            ))  # fmt: skip
    db.session.commit()
    return Fair(exhibition, event, days)


def make_exhibitor(fair: Fair, status: str = "accepted", name: str | None = None,
                   category: str = "industry", participation: str = "both",
                   hours: bool = True, **fields) -> tuple[Exhibitor, User]:  # fmt: skip
    """A member company exhibiting at `fair`, with its account user: (exhibitor, user). With
    `hours`, the exhibitor takes booth meetings 13:00–15:00 on every day of the fair."""
    n = next(_numbers)
    company = Company(
        name=name or f"株式会社出展{n}", name_kana=f"シュッテン{n}", member_no=f"77{n:05d}"
    )
    db.session.add(company)
    user = make_user("member", company=company)
    section = db.session.query(Unit).filter_by(kind="section", slug=category).one()
    exhibitor = Exhibitor(
        exhibition_id=fair.id, company_id=company.id, applicant_id=user.id, status=status,
        participation=participation, contact_name=user.full_name, contact_kana=user.full_kana,
        contact_email=user.email, contact_phone="03-0000-0000", products="試作品", **fields,
    )  # fmt: skip
    exhibitor.categories.append(section)
    db.session.add(exhibitor)
    db.session.flush()
    if hours:
        for day in fair.days:
            db.session.add(MeetingHours(
                exhibitor_id=exhibitor.id, day=day, starts=time(13, 0), ends=time(15, 0),
                mode="booth",
            ))  # fmt: skip
    db.session.commit()
    return exhibitor, user


def make_chiyoda_desk_advisor(make_user):
    """The demo catalogue loaded and an advisor of 千代田支部 offering 経営全般 at its counter:
    what a branch page's consultation desk shows."""
    from booking.consultations.catalogue import channel_by_slug, load_catalogue, theme_by_slug
    from booking.consultations.models import Advisor
    from booking.demo import chamber_data

    load_catalogue(chamber_data())
    advisor = Advisor(user=make_user("advisor", unit_key="branch:chiyoda"))
    advisor.themes = [theme_by_slug("management")]
    advisor.channels = [channel_by_slug("branch")]
    advisor.branches = [unit_by_key("branch:chiyoda")]
    db.session.add(advisor)
    db.session.commit()
    return advisor
