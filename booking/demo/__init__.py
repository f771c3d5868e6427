"""Demo data for `flask demo load`: the chamber's structure, accounts and a season of events.

Idempotent: every row has a natural key (slug, e-mail, event title + start date), so a second
load updates rather than duplicates.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from booking.accounts.models import Company, User
from booking.accounts.services import PersonDetails, create_user, hash_password
from booking.consultations.catalogue import load_catalogue
from booking.demo.english import with_english_names
from booking.demo.events import load_season
from booking.demo.follows import load_follows
from booking.demo.membership import load_membership
from booking.demo.texts import demo_title, new_year_party_day, open_day, texts_for
from booking.events.models import Event, Frame
from booking.extensions import db
from booking.org.models import Unit
from booking.org.services import load_structure, unit_by_key

# A copy of the organisation's data ships with the code, so a fresh clone can load the demo.
CHAMBER_JSON = Path(__file__).resolve().parent / "chamber.json"
DEMO_PASSWORD = "tsunagu-demo"

DEMO_PEOPLE = [
    # email, role, family, given, family kana, given kana, unit key, company (name, kana, no, branch)
    ("admin@demo.tsunagu.jp", "admin", "管理", "太郎", "カンリ", "タロウ", "hq", None),
    ("staff@demo.tsunagu.jp", "staff", "本部", "花子", "ホンブ", "ハナコ", "hq", None),
    ("chiyoda.staff@demo.tsunagu.jp", "staff", "千代田", "一郎", "チヨダ", "イチロウ",
     "branch:chiyoda", None),
    ("advisor@demo.tsunagu.jp", "advisor", "相談", "誠", "ソウダン", "マコト", "branch:chiyoda",
     None),
    ("member@demo.tsunagu.jp", "member", "山田", "太郎", "ヤマダ", "タロウ", None,
     ("株式会社山田製作所", "カブシキガイシャヤマダセイサクショ", "1300001", "chiyoda", "industry")),
    # A colleague of member@ at 山田製作所 (member@ is the company's administrator).
    ("colleague@demo.tsunagu.jp", "member", "鈴木", "花子", "スズキ", "ハナコ", None,
     ("株式会社山田製作所", "カブシキガイシャヤマダセイサクショ", "1300001", "chiyoda", "industry")),
    ("member2@demo.tsunagu.jp", "member", "佐藤", "美咲", "サトウ", "ミサキ", None,
     ("佐藤商事株式会社", "サトウショウジカブシキガイシャ", "1300002", "minato", "commerce")),
    # Acts for one exhibitor of the demo fair (booking/exhibitions/demo.py).
    ("exhibitor@demo.tsunagu.jp", "member", "出展", "花子", "シュッテン", "ハナコ", None,
     ("株式会社つなぐ食品", "ツナグショクヒン", "1300003", "chiyoda", "commerce")),
    ("guest@demo.tsunagu.jp", "guest", "鈴木", "一郎", "スズキ", "イチロウ", None, None),
]  # fmt: skip

# Sample events of the plan, placed over the coming weeks: (days ahead, start hour, hours).
SCHEDULE = [(9, 10, 7), (16, 10, 6), (5, 18, 2), (12, 15, 2), (19, 13, 3), (23, 14, 3),
            (7, 15, 2), (3, 18, 2), (26, 13, 3), (10, 14, 3), (30, 13, 3), (34, 10, 6),
            (14, 18, 2), (0, 0, 0), (0, 0, 0), (40, 18, 2), (21, 16, 2), (28, 13, 4)]  # fmt: skip

VENUES = {
    "hq": ("東京商工会議所 本部 会議室", "東京都千代田区丸の内3-2-2 丸の内二重橋ビル",
           "JR東京駅 丸の内南口より徒歩5分"),
}  # fmt: skip


def chamber_data(path: Path | None = None) -> dict:
    """The structure file, with an English name on every entry that has none."""
    return with_english_names(json.loads((path or CHAMBER_JSON).read_text(encoding="utf-8")))


def load(now: datetime, path: Path | None = None) -> dict:
    """Load everything; returns counts and the demo logins."""
    data = chamber_data(path)
    counts = load_structure(data)
    counts.update(load_catalogue(data))
    people = load_people()
    counts["events"] = load_events(data, now)
    counts["advisors"] = load_consultations(now)
    counts["events"] += load_season(now)
    counts["companies"] = load_membership(now, DEMO_PASSWORD)
    counts["exhibitors"] = load_exhibitions(now)
    load_company_people(now)
    counts["certificates"] = load_certificates(now)
    counts["follows"] = load_follows()
    db.session.flush()
    return {"counts": counts, "logins": people}


def load_consultations(now: datetime) -> int:
    """Advisors with weekly hours (so the next 8 weeks have free slots) and a few bookings."""
    from booking.demo.consultations import load_advisors

    return load_advisors(now, DEMO_PASSWORD)


def load_certificates(now: datetime) -> int:
    """The past event offers certificates of attendance and has a published handout."""
    from booking.demo.certificates import load_certificates as load

    return load(now)


def load_exhibitions(now: datetime) -> int:
    """The trade fair with its ~300 exhibitors, booths and meeting hours."""
    from booking.demo.exhibitions import load_fair

    return load_fair(now)


def load_company_people(now: datetime) -> None:
    """member@ administers its company; a colleague registered by them."""
    from booking.demo.companies import load_company_admins

    load_company_admins(now)


def load_people() -> list[tuple[str, str]]:
    logins = []
    for email, role, fam, giv, fam_k, giv_k, unit_key, company in DEMO_PEOPLE:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = create_user(
                email,
                DEMO_PASSWORD,
                role,
                PersonDetails(fam, giv, fam_k, giv_k, "03-3283-7500"),
                unit_key=unit_key,
                confirmed_at=datetime(2026, 1, 1, tzinfo=ZoneInfo("UTC")),
            )
        elif not user.password_hash:
            user.password_hash = hash_password(DEMO_PASSWORD)
        if company:
            user.company = _company(*company)
        logins.append((email, role))
    return logins


def _company(name: str, kana: str, member_no: str, branch: str, section: str) -> Company:
    company = db.session.scalar(select(Company).where(Company.member_no == member_no))
    if company is None:
        company = Company(member_no=member_no)
        db.session.add(company)
    company.name, company.name_kana = name, kana
    company.branch = unit_by_key(f"branch:{branch}")
    company.section = unit_by_key(f"section:{section}")
    return company


def organiser_unit(organiser: str) -> Unit:
    """`HQ`, `branch:shibuya`, `section:construction`, `committee:<part of its name>`."""
    if organiser.upper() == "HQ":
        return unit_by_key("hq")
    kind, _, ref = organiser.partition(":")
    if kind == "committee":
        unit = db.session.scalar(
            select(Unit).where(Unit.kind == "committee", Unit.name.contains(ref))
        )
    else:
        unit = unit_by_key(f"{kind}:{ref}")
    return unit or unit_by_key("hq")


def _venue(unit: Unit) -> tuple[str, str, str]:
    if unit.kind == "branch":
        # The demo knows no branch's street address nor its station: no made-up directions.
        return (f"{unit.name} 会議室", f"東京都{unit.ward}", "")
    return VENUES["hq"]


def load_events(data: dict, now: datetime) -> int:
    """The plan's sample events, dated from today on (consultation days belong to advisors)."""
    tokyo = ZoneInfo("Asia/Tokyo")
    today = now.astimezone(tokyo).date()
    count = 0
    for sample, (days, hour, hours) in zip(data["sample_events"], SCHEDULE, strict=False):
        if sample["kind"] not in ("seminar", "exchange", "exhibition", "other"):
            continue
        unit = organiser_unit(sample["organiser"])
        # Stored as UTC: SQLite keeps the wall-clock time of an aware value, not its offset.
        day = open_day(today + timedelta(days=days))
        if "賀詞交歓会" in sample["title"]:
            day = new_year_party_day(today)
        start = datetime.combine(day, time(hour), tzinfo=tokyo).astimezone(UTC)
        title = demo_title(sample["title"])
        # Databases loaded before names lost their year still hold the plan's spelling.
        event = db.session.scalar(
            select(Event).where(Event.title.in_([title, sample["title"]])).order_by(Event.id)
        )
        if event is None:
            event = Event(title=title, status="published")
            db.session.add(event)
            _frames(event, sample["format"], sample["kind"])
        # Re-dated on every load so the demo always shows upcoming events.
        event.title = title
        event.kind, event.format, event.unit = sample["kind"], sample["format"], unit
        event.starts_at, event.ends_at = start, start + timedelta(hours=hours)
        event.summary, event.description = texts_for(sample["title"])
        if sample["format"] != "online":
            event.venue_name, event.venue_address, event.venue_access = _venue(unit)
        if sample["format"] != "in_person":
            digest = hashlib.sha256(sample["title"].encode()).hexdigest()[:10]
            event.online_url = f"https://meet.example.jp/j/{digest}"
        count += 1
    return count


def _frames(event: Event, fmt: str, kind: str) -> None:
    """People visit an exhibition (来場) and take part in anything else (参加)."""
    big = kind == "exhibition"
    if fmt in ("in_person", "hybrid"):
        event.frames.append(
            Frame(name="会場来場" if big else "会場参加", mode="in_person",
                  capacity=5000 if big else 50, audience="all", price_label="無料",
                  per_company_limit=None if big else 2)
        )  # fmt: skip
    if fmt in ("online", "hybrid"):
        event.frames.append(
            Frame(name="オンライン来場" if big else "オンライン参加", mode="online",
                  capacity=5000 if big else 300, audience="all", price_label="無料", position=1)
        )  # fmt: skip
