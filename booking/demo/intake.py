"""Demo of intake routing and support cases (伴走支援): the 事業承継 questionnaire that routes
to the succession specialist, and a few support cases on past consultations.

Idempotent: the questionnaires are rewritten on every load; the past consultations and their
cases are added only while no support case exists.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from booking.accounts.models import User
from booking.consultations.cases import attach_to_case
from booking.consultations.models import (
    Advisor,
    Channel,
    Consultation,
    ConsultationRecord,
    SupportCase,
    Theme,
)
from booking.consultations.routing_format import routing_from_text
from booking.extensions import db
from booking.org.services import unit_by_key
from booking.timefmt import local_zone, to_local

SPECIALIST = "succession@demo.tsunagu.jp"

# Typed as staff type them in the catalogue (booking/consultations/routing_format.py).
ROUTING = {
    "succession": f"""
後継者は決まっていますか | Have you chosen a successor?
- 親族（ご子息など）に決まっている | Yes, a family member → advisor={SPECIALIST}, channel=online
- 社員・役員に引き継ぎたい | An employee or executive → advisor={SPECIALIST}, channel=branch, branch=chiyoda
- まだ決まっていない・M&Aも考えたい | Not yet; considering M&A → advisor={SPECIALIST}, channel=online
承継の時期 | When do you plan to hand over?
- 1年以内 | Within a year → channel=branch, branch=chiyoda
- 3〜5年以内 | In three to five years
- まだ決めていない | Not decided
株式の状況 | Shareholding
- 社長がほぼすべて保有している | The president holds almost all shares
- 親族などに分散している | Spread among family members and others
- よく分からない | Not sure
""",
    "management": f"""
いちばんのお悩みは何ですか | What concerns you most?
- 資金繰り・借入 | Cash flow and loans → theme=finance
- 後継者・事業の引き継ぎ | A successor, handing over the business → theme=succession, advisor={SPECIALIST}
- 販路開拓・経営全般 | Sales channels, management in general
""",
}  # fmt: skip

# What the demo member answered to the questionnaire (the advisor reads it on the desk).
ANSWERS = {
    "succession": {
        "後継者は決まっていますか": "親族（ご子息など）に決まっている",
        "承継の時期": "3〜5年以内",
        "株式の状況": "社長がほぼすべて保有している",
    }
}

# (member e-mail, theme, advisor e-mail, days ago of each consultation, topic, record,
#  case status, case outcome, case note)
CASES = [
    ("member@demo.tsunagu.jp", "succession", SPECIALIST, (45, 17), "長男への事業承継の進め方",
     ("承継の時期と株式の移し方を整理しました。", "事業承継税制の特例承認計画を作成する"),
     "open", "", "特例承認計画の提出期限を確認する。"),
    ("member2@demo.tsunagu.jp", "management", "advisor@demo.tsunagu.jp", (80,),
     "新規出店の計画", ("出店計画と資金計画を確認しました。", "日本政策金融公庫に紹介"),
     "referred", "partly", "公庫の担当者に紹介済み。"),
    ("member2@demo.tsunagu.jp", "finance", "advisor@demo.tsunagu.jp", (60, 30),
     "運転資金の借入", ("マル経融資の申込書類を確認しました。", "融資実行後に返済計画を確認"),
     "closed", "resolved", "マル経融資の実行を確認。"),
]  # fmt: skip


def load_intake_demo(now: datetime) -> None:
    for slug, text in ROUTING.items():
        theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
        if theme is not None:
            theme.routing = routing_from_text(text)
    db.session.flush()
    if db.session.scalar(select(SupportCase.id).limit(1)) is None:
        for row in CASES:
            _support_case(now, *row)


def _past_start(now: datetime, days_ago: int) -> datetime:
    """10:00 on the weekday `days_ago` days back (or the Friday before it)."""
    day = to_local(now).date() - timedelta(days=days_ago)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return datetime.combine(day, time(10), tzinfo=local_zone())


def _support_case(now, email, slug, advisor_email, days, topic, record, status, outcome, note):
    member = db.session.scalar(select(User).where(User.email == email))
    theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
    advisor = db.session.scalar(select(Advisor).join(User).where(User.email == advisor_email))
    channel = db.session.scalar(select(Channel).where(Channel.slug == "branch"))
    if None in (member, theme, advisor, channel):
        return
    branch = unit_by_key("branch:chiyoda")
    case = None
    for n, days_ago in enumerate(days):
        start = _past_start(now, days_ago)
        # Past sessions are history, not bookings: written as rows, without the booking's mail.
        consultation = Consultation(
            member=member, company_id=member.company_id, advisor=advisor, theme=theme,
            channel=channel, branch_id=branch.id, starts_at=start,
            ends_at=start + timedelta(minutes=theme.slot_minutes),
            topic=topic if n == 0 else f"フォローアップ: {topic}",
            answers=dict(ANSWERS.get(slug, {})),
            created_at=start - timedelta(days=7), updated_at=start,
        )  # fmt: skip
        db.session.add(consultation)
        db.session.add(
            ConsultationRecord(
                consultation=consultation, attendance="attended", outcome=record[0],
                next_step=record[1], written_by_id=advisor.user_id, created_at=start,
                updated_at=start,
            )
        )  # fmt: skip
        db.session.flush()
        case = attach_to_case(consultation, advisor.user, case.id if case else None, start)
    case.status, case.outcome, case.note = status, outcome, note
    if status == "closed":
        case.closed_at = case.updated_at
    db.session.flush()
