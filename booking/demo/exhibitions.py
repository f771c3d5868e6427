"""The exhibitions part of `demo load`: the chamber's trade fair with ~300 exhibitors.

中小企業マーケットTOKYO (the first of the chamber's sample events) becomes a two-day hybrid
fair with three entrances, zones A–F by section group, 300 booths on a grid, 300 accepted
exhibitors (made-up companies, deterministic) with booths, categories, PR text and meeting
hours, and a few applications still waiting. Rows are inserted in bulk so `demo load` stays
quick; a second load adds nothing (companies by member number, exhibitors by company, zones
and booths by code) and moves the fair and its meeting hours to the coming weeks.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, update

from booking.accounts.models import Company, User
from booking.demo.english import ZONES as ZONE_NAMES_EN
from booking.demo.events import GIVEN, SURNAMES
from booking.demo.names import companies
from booking.demo.texts import demo_title
from booking.events.models import Event, EventSession, Frame, Registration
from booking.events.registrations import register_for_frame
from booking.exhibitions.models import (
    Booth,
    Exhibition,
    Exhibitor,
    MeetingHours,
    Zone,
    exhibitor_categories,
)
from booking.extensions import db
from booking.org.models import Unit
from booking.org.services import unit_by_key

TOKYO = ZoneInfo("Asia/Tokyo")
PLAN_TITLE = "中小企業マーケットTOKYO2023"  # as chamber.json spells it
TITLE = demo_title(PLAN_TITLE)
DAYS_AHEAD = 9  # the events demo dates the sample event this far ahead
ENTRANCES = ["東口", "西口", "南口"]
# Zone code, name, the sections (部会) whose companies exhibit there.
ZONES = [
    ("A", "食品・商業", ["commerce", "wholesale"]),
    ("B", "ものづくり・エネルギー", ["industry", "energy"]),
    ("C", "IT・情報通信", ["ict"]),
    ("D", "サービス・物流", ["services", "transport"]),
    ("E", "建設・不動産", ["construction"]),
    ("F", "金融・貿易", ["finance", "trade"]),
]
BOOTHS_PER_ZONE, ROW = 50, 10  # a zone is 5 rows of 10 booths of 2×2 cells
ACCEPTED, WAITING = 300, [("applied", 5), ("waitlisted", 3)]
# The demo exhibitor account's company (booking/demo.py DEMO_PEOPLE) is exhibitor no. 0.
ACCOUNT_MEMBER_NO = "1300003"
MEMBER_NO = "146{:04d}"


def load_fair(now: datetime) -> int:
    """Add or refresh the fair; returns its number of accepted exhibitors."""
    event = _event(now)
    exhibition = db.session.scalar(select(Exhibition).where(Exhibition.event_id == event.id))
    if exhibition is None:
        exhibition = Exhibition(event=event, meeting_minutes=30, entrances=ENTRANCES,
                                exhibitor_limit=310, map_columns=42)  # fmt: skip
        db.session.add(exhibition)
    exhibition.applications_open_at = event.starts_at - timedelta(days=60)
    exhibition.applications_close_at = event.starts_at - timedelta(days=3)
    db.session.flush()
    zones = _zones(exhibition)
    _booths(exhibition, zones)
    days = [s.starts_at.astimezone(TOKYO).date() for s in event.sessions]
    _exhibitors(exhibition, days)
    _visitors(event, now)
    db.session.flush()
    return db.session.scalar(
        select(func.count()).where(
            Exhibitor.exhibition_id == exhibition.id, Exhibitor.status == "accepted"
        )
    )


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TOKYO).astimezone(UTC)


def _event(now: datetime) -> Event:
    """The sample event as a two-day fair; its meeting hours follow when it is re-dated."""
    first = now.astimezone(TOKYO).date() + timedelta(days=DAYS_AHEAD)
    days = [first, first + timedelta(days=1)]
    event = db.session.scalar(
        select(Event).where(Event.title.in_([TITLE, PLAN_TITLE])).order_by(Event.id)
    )
    if event is None:
        event = Event(title=TITLE, status="published", unit=unit_by_key("hq"))
        db.session.add(event)
    event.title, event.kind, event.format = TITLE, "exhibition", "hybrid"
    event.starts_at, event.ends_at = _at(days[0], 10), _at(days[1], 17)
    event.summary = "約300社が出展する中小企業の展示商談会です。会場とオンラインで開催します。"
    event.venue_name = "東京ビッグサイト 西展示棟"
    event.venue_address = "東京都江東区有明3-11-1"
    event.venue_access = "ゆりかもめ 東京ビッグサイト駅より徒歩3分"
    event.online_url = event.online_url or "https://meet.example.jp/j/market-tokyo"
    _frames(event)
    old = [s.starts_at.astimezone(TOKYO).date() for s in event.sessions]
    if old != days:
        event.sessions.clear()
        for day in days:
            event.sessions.append(EventSession(starts_at=_at(day, 10), ends_at=_at(day, 17)))
        db.session.flush()
        _move_hours(event, dict(zip(old, days, strict=False)))
    return event


def _frames(event: Event) -> None:
    """会場来場 and オンライン来場 (the events demo names its frames 参加, not 来場)."""
    wanted = [("会場来場", "in_person", 8000), ("オンライン来場", "online", 5000)]
    by_mode = {f.mode: f for f in event.frames}
    for i, (name, mode, capacity) in enumerate(wanted):
        frame = by_mode.get(mode)
        if frame is None:
            frame = Frame(mode=mode, taken=0, audience="all", price_label="無料")
            event.frames.append(frame)
        frame.name, frame.position, frame.capacity = name, i, max(capacity, frame.taken or 0)
        frame.per_company_limit = None


def _move_hours(event: Event, moves: dict[date, date]) -> None:
    exhibition_id = db.session.scalar(select(Exhibition.id).where(Exhibition.event_id == event.id))
    if exhibition_id is None or not moves:
        return
    rows = db.session.execute(
        select(MeetingHours.id, MeetingHours.day)
        .join(Exhibitor, Exhibitor.id == MeetingHours.exhibitor_id)
        .where(Exhibitor.exhibition_id == exhibition_id)
    ).all()
    changes = [{"id": i, "day": moves[d]} for i, d in rows if d in moves]
    if changes:
        db.session.execute(update(MeetingHours), changes)


def _zones(exhibition: Exhibition) -> dict[str, Zone]:
    have = {z.code: z for z in exhibition.zones}
    for i, (code, name, _sections) in enumerate(ZONES):
        if code not in have:
            have[code] = Zone(code=code, name=name, position=i)
            exhibition.zones.append(have[code])
        have[code].name_en = have[code].name_en or ZONE_NAMES_EN.get(name, "")
    db.session.flush()
    return have


def _booths(exhibition: Exhibition, zones: dict[str, Zone]) -> None:
    """Two zones side by side per band; rows of booths back to back with an aisle between."""
    have = set(db.session.scalars(select(Booth.code).where(Booth.exhibition_id == exhibition.id)))
    rows = []
    for zi, (code, _name, _sections) in enumerate(ZONES):
        x0, y0 = (zi % 2) * 22, (zi // 2) * 14
        for i in range(BOOTHS_PER_ZONE):
            booth = f"{code}-{i + 1:02d}"
            if booth in have:
                continue
            r = i // ROW
            rows.append({"exhibition_id": exhibition.id, "zone_id": zones[code].id, "code": booth,
                         "size": "standard", "x": x0 + (i % ROW) * 2,
                         "y": y0 + r * 2 + (r + 1) // 2, "w": 2, "h": 2})  # fmt: skip
    if rows:
        db.session.execute(insert(Booth), rows)


def _plan() -> list[tuple[str, str, str]]:
    """(member no., zone code, section) of every demo exhibitor, accepted ones first."""
    plan = []
    for n in range(ACCEPTED + sum(count for _s, count in WAITING)):
        code, _name, sections = ZONES[n % len(ZONES)]
        number = MEMBER_NO.format(n) if n else ACCOUNT_MEMBER_NO
        plan.append((number, code, sections[(n // len(ZONES)) % len(sections)]))
    return plan


def _status(n: int) -> str:
    if n < ACCEPTED:
        return "accepted"
    n -= ACCEPTED
    for status, count in WAITING:
        if n < count:
            return status
        n -= count
    return "applied"  # pragma: no cover - the plan has no more


def _participation(n: int) -> str:
    return "online" if n % 20 == 19 else "both" if n % 3 == 0 else "in_person"


def _exhibitors(exhibition: Exhibition, days: list[date]) -> None:
    plan = _plan()
    made = companies([s for _no, _z, s in plan], len(plan))
    sections = {
        u.slug: u.id for u in db.session.scalars(select(Unit).where(Unit.kind == "section"))
    }
    branches = db.session.scalars(
        select(Unit.id).where(Unit.kind == "branch").order_by(Unit.id)
    ).all()
    numbers = [no for no, _z, _s in plan]
    company_ids = _company_ids(numbers)
    missing = [(n, p) for n, p in enumerate(plan) if p[0] not in company_ids]
    if missing:
        db.session.execute(insert(Company), [
            {"name": made[n].name, "name_kana": made[n].kana, "member_no": no,
             "section_id": sections.get(section), "branch_id": branches[n % len(branches)] if branches else None}
            for n, (no, _zone, section) in missing
        ])  # fmt: skip
        company_ids = _company_ids(numbers)
    have = set(db.session.scalars(
        select(Exhibitor.company_id).where(Exhibitor.exhibition_id == exhibition.id)
    ))  # fmt: skip
    new = [(n, p) for n, p in enumerate(plan) if company_ids[p[0]] not in have]
    if not new:
        return
    account = db.session.scalar(select(User).where(User.email == "exhibitor@demo.tsunagu.jp"))
    reviewed = exhibition.applications_open_at + timedelta(days=20)
    db.session.execute(insert(Exhibitor), [
        _exhibitor_row(exhibition, n, company_ids[no], made[n], account, reviewed)
        for n, (no, _zone, _section) in new
    ])  # fmt: skip
    ids = dict(db.session.execute(
        select(Exhibitor.company_id, Exhibitor.id).where(Exhibitor.exhibition_id == exhibition.id)
    ).all())  # fmt: skip
    db.session.execute(insert(exhibitor_categories), [
        {"exhibitor_id": ids[company_ids[no]], "unit_id": sections[s]}
        for n, (no, _z, section) in new
        for s in dict.fromkeys([section] + ([made[(n + 7) % len(made)].section] if n % 4 == 0 else []))
    ])  # fmt: skip
    hours = [h for n, (no, _z, _s) in new if n < ACCEPTED and n % 8 != 7
             for h in _hours(ids[company_ids[no]], _participation(n), days)]  # fmt: skip
    if hours:
        db.session.execute(insert(MeetingHours), hours)
    _assign_booths(exhibition, [(n, ids[company_ids[no]], z) for n, (no, z, _s) in new])


def _company_ids(numbers: list[str]) -> dict[str, int]:
    return dict(db.session.execute(
        select(Company.member_no, Company.id).where(Company.member_no.in_(numbers))
    ).all())  # fmt: skip


def _exhibitor_row(exhibition, n, company_id, made, account, reviewed) -> dict:
    status, participation = _status(n), _participation(n)
    (family, family_kana), (given, given_kana) = (
        (("出展", "シュッテン"), ("花子", "ハナコ")) if n == 0
        else (SURNAMES[n % len(SURNAMES)], GIVEN[n % len(GIVEN)])
    )  # fmt: skip
    return {
        "exhibition_id": exhibition.id, "company_id": company_id,
        "applicant_id": account.id if n == 0 and account else None, "status": status,
        "participation": participation, "booth_size_wish": "standard",
        "contact_name": f"{family} {given}", "contact_kana": f"{family_kana} {given_kana}",
        "contact_email": "exhibitor@demo.tsunagu.jp" if n == 0 else f"fair{n:03d}@demo.tsunagu.jp",
        "contact_phone": "03-3283-7500", "pr_text": made.pr_text, "products": "\n".join(made.products),
        "website": f"https://example.jp/market-tokyo/{n:03d}",
        "online_meetings": participation != "in_person",
        "online_meeting_url": f"https://meet.example.jp/j/fair-{n:03d}" if participation != "in_person" else "",
        "reviewed_at": reviewed if status != "applied" else None,
    }  # fmt: skip


def _hours(exhibitor_id: int, participation: str, days: list[date]) -> list[dict]:
    spans = []
    if participation != "online":
        spans += [(time(10, 30), time(12), "booth"), (time(13), time(16), "booth")]
    if participation == "both":
        spans.append((time(16), time(17), "online"))
    if participation == "online":
        spans += [(time(10), time(12), "online"), (time(14), time(17), "online")]
    return [{"exhibitor_id": exhibitor_id, "day": d, "starts": s, "ends": e, "mode": m}
            for d in days for s, e, m in spans]  # fmt: skip


def _assign_booths(exhibition: Exhibition, new: list[tuple[int, int, str]]) -> None:
    """Each new accepted in-person exhibitor gets the next free booth of its zone."""
    free: dict[str, list[int]] = {}
    for booth_id, code in db.session.execute(
        select(Booth.id, Booth.code)
        .where(Booth.exhibition_id == exhibition.id, Booth.exhibitor_id.is_(None))
        .order_by(Booth.code)
    ):
        free.setdefault(code.split("-")[0], []).append(booth_id)
    when = exhibition.applications_open_at + timedelta(days=25)
    changes = []
    for n, exhibitor_id, zone in new:
        if n < ACCEPTED and _participation(n) != "online" and free.get(zone):
            changes.append(
                {"id": free[zone].pop(0), "exhibitor_id": exhibitor_id, "assigned_at": when}
            )
    if changes:
        db.session.execute(update(Booth), changes)


def _visitors(event: Event, now: datetime) -> None:
    """The demo member (and the events demo's attendees) registered to visit, with passes."""
    people = db.session.scalars(
        select(User)
        .where(
            (User.email == "member@demo.tsunagu.jp") | User.email.like("attendee%@demo.tsunagu.jp")
        )
        .order_by(User.id)
    ).all()[:21]
    registered = set(db.session.scalars(
        select(Registration.user_id).where(Registration.event_id == event.id)
    ))  # fmt: skip
    frames = sorted(event.frames, key=lambda f: f.position)
    for i, user in enumerate(people):
        if user.id not in registered:
            register_for_frame(user, event.id, frames[1 if i % 5 == 4 else 0].id, {}, now)
