"""Demo advisors for `flask demo load`: several branches and themes, weekly hours, a few bookings.

Idempotent: advisors are found by e-mail, their weekly hours are replaced on every load, and
demo bookings are only added while the demo member has none upcoming.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import delete, select

from booking.accounts.models import User
from booking.accounts.services import PersonDetails, create_user
from booking.consultations.models import Advisor, Channel, Theme, WeeklyAvailability
from booking.consultations.services import Intake, book_consultation, upcoming_for_member
from booking.consultations.slots import free_slots
from booking.demo.intake import load_intake_demo
from booking.errors import DomainError
from booking.extensions import db
from booking.org.services import unit_by_key

# Rules that differ from the defaults (60 minutes, no buffer, 24 h notice, 56 days, 24 h).
THEME_RULES = {
    "finance": {"slot_minutes": 30},
    "subsidy": {"slot_minutes": 30, "buffer_minutes": 10},
    "succession": {"slot_minutes": 90, "buffer_minutes": 15, "cancel_cutoff_hours": 48},
    "turnaround": {"slot_minutes": 90, "buffer_minutes": 15, "cancel_cutoff_hours": 48},
}
THEME_QUESTIONS = {
    # 後継者・時期・株式 are asked before the slot choice (booking/demo/intake.py).
    "succession": ["すでに相談している専門家（税理士など）"],
    "finance": ["ご希望の借入額", "既存の借入の有無"],
    "subsidy": ["検討中の補助金・助成金"],
    "startup": ["創業予定時期"],
}
WEEKDAYS = range(5)
AM, PM = (time(10), time(12)), (time(13), time(17))

ADVISORS = [
    # email, family, given, kana, branch keys, themes, channels, title, weekly hours
    (
        "advisor@demo.tsunagu.jp",
        "相談",
        "誠",
        ("ソウダン", "マコト"),
        ["chiyoda"],
        ["management", "finance", "subsidy"],
        ["branch", "online", "phone"],
        "経営指導員",
        [AM, PM],
    ),
    (
        "advisor.chuo@demo.tsunagu.jp",
        "中央",
        "由紀",
        ("チュウオウ", "ユキ"),
        ["chuo", "chiyoda"],
        ["management", "digital", "hr"],
        ["branch", "online"],
        "経営指導員",
        [PM],
    ),
    (
        "advisor.minato@demo.tsunagu.jp",
        "港",
        "健一",
        ("ミナト", "ケンイチ"),
        ["minato"],
        ["management", "overseas", "ip"],
        ["branch", "online", "phone"],
        "専門相談員",
        [AM, PM],
    ),
    (
        "advisor.shinjuku@demo.tsunagu.jp",
        "新宿",
        "彩",
        ("シンジュク", "アヤ"),
        ["shinjuku"],
        ["management", "startup", "bcp", "subsidy"],
        ["branch", "online"],
        "経営指導員",
        [AM, PM],
    ),
    (
        "advisor.shibuya@demo.tsunagu.jp",
        "渋谷",
        "大輔",
        ("シブヤ", "ダイスケ"),
        ["shibuya"],
        ["management", "digital", "startup"],
        ["branch", "phone"],
        "経営指導員",
        [AM],
    ),
    (
        "succession@demo.tsunagu.jp",
        "承継",
        "正樹",
        ("ショウケイ", "マサキ"),
        ["chiyoda"],
        ["succession", "turnaround", "finance"],
        ["online", "branch"],
        "事業承継・再生 専門家",
        [(time(10), time(16))],
    ),
]


def load_advisors(now: datetime, password: str) -> int:
    """Create or update the demo advisors and their weekly hours; returns how many."""
    for slug, rules in THEME_RULES.items():
        theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
        if theme is not None:
            for key, value in rules.items():
                setattr(theme, key, value)
    for slug, questions in THEME_QUESTIONS.items():
        theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
        if theme is not None:
            theme.questions = questions
    themes = {t.slug: t for t in db.session.scalars(select(Theme))}
    channels = {c.slug: c for c in db.session.scalars(select(Channel))}
    for email, fam, giv, kana, branches, theme_slugs, chans, title, hours in ADVISORS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = create_user(
                email,
                password,
                "advisor",
                PersonDetails(fam, giv, kana[0], kana[1], "03-3283-7500"),
                unit_key=f"branch:{branches[0]}",
                confirmed_at=now,
            )
        advisor = db.session.scalar(select(Advisor).where(Advisor.user_id == user.id))
        if advisor is None:
            advisor = Advisor(user=user)
            db.session.add(advisor)
        advisor.title = title
        advisor.video_url = f"https://meet.example.jp/c/{email.split('@')[0].replace('.', '-')}"
        advisor.branches = [unit_by_key(f"branch:{b}") for b in branches]
        advisor.themes = [themes[t] for t in theme_slugs if t in themes]
        advisor.channels = [channels[c] for c in chans if c in channels]
        db.session.flush()
        db.session.execute(
            delete(WeeklyAvailability).where(WeeklyAvailability.advisor_id == advisor.id)
        )
        for weekday in WEEKDAYS:
            for starts, ends in hours:
                db.session.add(
                    WeeklyAvailability(
                        advisor_id=advisor.id, weekday=weekday, starts=starts, ends=ends
                    )
                )
    db.session.flush()
    _demo_consultation_day(now)
    _demo_bookings(now)
    load_intake_demo(now)
    return len(ADVISORS)


def _demo_consultation_day(now: datetime) -> None:
    """A 出張相談会 three weeks ahead (a Wednesday), re-dated on every load."""
    from booking.consultations.models import ConsultationDay
    from booking.timefmt import to_local

    today = to_local(now).date()
    day = today + timedelta(days=21 + (2 - today.weekday()) % 7)
    title = "出張経営相談会（渋谷）"
    cday = db.session.scalar(select(ConsultationDay).where(ConsultationDay.title == title))
    if cday is None:
        cday = ConsultationDay(
            title=title,
            day=day,
            starts=time(13),
            ends=time(16),
            branch=unit_by_key("branch:shibuya"),
        )
        db.session.add(cday)
    cday.day = day
    cday.venue_name, cday.venue_address = "渋谷区商工会館 会議室", "東京都渋谷区"
    cday.advisors = list(
        db.session.scalars(
            select(Advisor)
            .join(User)
            .where(
                User.email.in_(
                    ["advisor.shibuya@demo.tsunagu.jp", "advisor.shinjuku@demo.tsunagu.jp"]
                )
            )
        )
    )
    db.session.flush()


def _demo_bookings(now: datetime) -> None:
    member = db.session.scalar(select(User).where(User.email == "member@demo.tsunagu.jp"))
    if member is None or upcoming_for_member(member, now):
        return
    wishes = [
        ("management", "online", 7, "新規事業の資金計画について"),
        ("finance", "branch", 12, "マル経融資の申込について"),
    ]
    for slug, channel, days, topic in wishes:
        theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
        slots = free_slots(
            theme,
            now + timedelta(days=days),
            now + timedelta(days=days + 7),
            now,
            channel_slug=channel,
        )
        if not slots:
            continue
        try:
            book_consultation(
                member,
                theme,
                channel,
                slots[0].start,
                now,
                advisor_id=slots[0].advisor_id,
                intake=Intake(topic=topic),
            )
        except DomainError:
            continue
