"""The events part of `demo load`: a realistic season on top of the plan's sample events.

A full exchange meeting with a waitlist, a lottery seminar taking applications, a series
(連続講座), a member-only new-year party, events of the young entrepreneurs' group and the
women's association, a past event with attendance, and registrations for the demo member.
Idempotent: people by e-mail, events by title, registrations by (event, person).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from booking.accounts.models import Company, User
from booking.demo.surveys import load_survey
from booking.demo.texts import new_year_party_day
from booking.events.models import Event, EventSession, Frame, Question, Registration
from booking.events.registrations import new_reference, register_for_frame
from booking.extensions import db
from booking.org.services import unit_by_key

TOKYO = ZoneInfo("Asia/Tokyo")
SURNAMES = [("佐々木", "ササキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"),
            ("渡辺", "ワタナベ"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"),
            ("吉田", "ヨシダ"), ("山口", "ヤマグチ"), ("松本", "マツモト"), ("井上", "イノウエ"),
            ("木村", "キムラ"), ("林", "ハヤシ"), ("清水", "シミズ"), ("山崎", "ヤマザキ")]  # fmt: skip
GIVEN = [("健太", "ケンタ"), ("由美", "ユミ"), ("大輔", "ダイスケ"), ("直子", "ナオコ"),
         ("翔", "ショウ"), ("恵", "メグミ"), ("誠", "マコト"), ("彩", "アヤ")]  # fmt: skip
INDUSTRIES = ["製造", "卸売", "小売", "建設", "情報通信", "サービス"]


def _at(now: datetime, days: int, hour: int, minute: int = 0) -> datetime:
    day = now.astimezone(TOKYO).date() + timedelta(days=days)
    # UTC: SQLite would keep the wall-clock time of an aware value and drop its offset.
    return datetime.combine(day, time(hour, minute), tzinfo=TOKYO).astimezone(UTC)


def participants(n: int = 40) -> list[User]:
    """Demo attendees, each from a member company (two share one, for the company limit)."""
    people = []
    for i in range(n):
        email = f"attendee{i + 1:02d}@demo.tsunagu.jp"
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            fam, fam_k = SURNAMES[i % len(SURNAMES)]
            giv, giv_k = GIVEN[i % len(GIVEN)]
            member_no = f"13{50000 + i // 2:05d}"
            company = db.session.scalar(select(Company).where(Company.member_no == member_no))
            if company is None:
                company = Company(name=f"{fam}{INDUSTRIES[i % len(INDUSTRIES)]}株式会社",
                                  name_kana=f"{fam_k}カブシキガイシャ", member_no=member_no,
                                  branch=unit_by_key("branch:chiyoda"))  # fmt: skip
                db.session.add(company)
            user = User(email=email, role="member", family_name=fam, given_name=giv,
                        family_kana=fam_k, given_kana=giv_k, company=company, phone="03-3283-7500")  # fmt: skip
            db.session.add(user)
        people.append(user)
    db.session.flush()
    return people


def _event(title: str, unit: str, kind: str, fmt: str, start: datetime, hours: float,
           frames: list[dict], **fields) -> Event:  # fmt: skip
    org = _unit(unit)
    event = db.session.scalar(select(Event).where(Event.title == title))
    if event is None:
        event = Event(title=title, status="published", kind=kind, format=fmt, unit=org,
                      starts_at=start, ends_at=start + timedelta(hours=hours))  # fmt: skip
        for i, f in enumerate(frames):
            event.frames.append(Frame(position=i, taken=0, **f))
        for i, q in enumerate(fields.pop("questions", [])):
            event.questions.append(Question(position=i, **q))
        db.session.add(event)
    else:
        fields.pop("questions", None)
    event.kind, event.format, event.unit = kind, fmt, org
    event.starts_at, event.ends_at = start, start + timedelta(hours=hours)
    for key, value in fields.items():
        setattr(event, key, value)
    db.session.flush()
    return event


def _unit(key: str):
    """A unit key, or `committee:<part of its name>` (committees have positional slugs)."""
    from booking.org.models import Unit

    if key.startswith("committee:"):
        name = key.partition(":")[2]
        found = db.session.scalar(
            select(Unit).where(Unit.kind == "committee", Unit.name.contains(name))
        )
        if found is not None:
            return found
    return unit_by_key(key) or unit_by_key("hq")


def load_season(now: datetime) -> int:
    """Add the season's special events and registrations; returns how many events it touched."""
    people = participants()
    member = db.session.scalar(select(User).where(User.email == "member@demo.tsunagu.jp"))
    count = 0

    full = _event(
        "千代田ビジネス交流会（名刺交換会）", "branch:chiyoda", "exchange", "in_person",
        _at(now, 6, 18, 30), 2,
        [dict(name="会場参加", mode="in_person", capacity=20, audience="members",
              price_label="会員 2,000円（税込）", per_company_limit=2)],
        summary="千代田区内の会員企業同士の名刺交換会です。軽食をご用意しています。",
        description="### 当日の流れ\n- 18:30 受付開始\n- 18:45 主催者挨拶\n- 19:00 名刺交換・歓談\n\n"
                    "**名刺を30枚程度**お持ちください。",
        venue_name="千代田支部 会議室", venue_address="東京都千代田区丸の内3-2-2",
        venue_access="JR東京駅 丸の内南口より徒歩5分",
        questions=[dict(label="業種", kind="choice", choices=INDUSTRIES, required=True)],
    )  # fmt: skip
    _register_full(full, people[:24], now)
    count += 1

    lottery = _event(
        "eco検定 直前対策講座（抽選）", "branch:setagaya", "seminar", "in_person",
        _at(now, 14, 13), 3,
        [dict(name="会場参加", mode="in_person", capacity=30, audience="all", price_label="無料",
              lottery=True, per_company_limit=2, closes_at=_at(now, 4, 17))],
        summary="応募多数の場合は抽選です。締切後に結果をメールでお知らせします。",
        description="eco検定（環境社会検定試験）の直前対策講座です。過去問題の解説を中心に行います。",
        venue_name="世田谷支部 会議室", venue_address="東京都世田谷区", attestation=True,
    )  # fmt: skip
    for user in people[24:36]:
        exists = db.session.scalar(
            select(Registration.id).where(
                Registration.event_id == lottery.id, Registration.user_id == user.id
            )
        )
        if exists is None:
            register_for_frame(user, lottery.id, lottery.frames[0].id, {}, now, attestation=True)
    count += 1

    series = _event(
        "イノベーション創出連続セミナー（全3回）", "committee:新事業", "seminar", "online",
        _at(now, 8, 15), 2,
        [dict(name="オンライン参加", mode="online", capacity=300, audience="all", price_label="無料")],
        summary="新規事業の立ち上げを3回で学ぶオンライン講座です。",
        description="新規事業の見つけ方から事業化・資金調達まで、3回で体系的に学びます。"
                    "各回の講師は新事業・イノベーション創出委員会の委員企業の方です。",
        online_url="https://meet.example.jp/j/innovation-series",
    )  # fmt: skip
    if not series.sessions:
        for i, title in enumerate(
            ["第1回 新規事業の見つけ方", "第2回 オープンイノベーション", "第3回 事業化と資金調達"]
        ):
            start = _at(now, 8 + 7 * i, 15)
            series.sessions.append(
                EventSession(title=title, starts_at=start, ends_at=start + timedelta(hours=2))
            )
    series.starts_at = series.sessions[0].starts_at
    series.ends_at = series.sessions[-1].ends_at
    count += 1

    today = now.astimezone(TOKYO).date()
    new_year_days = (new_year_party_day(today) - today).days
    _event(
        "新年賀詞交歓会（会員限定）", "section:construction", "exchange", "in_person",
        _at(now, new_year_days, 17), 2,
        [dict(name="会員参加", mode="in_person", capacity=200, audience="members", price_label="会員 5,000円（税込）",
              per_company_limit=3)],
        member_only=True, summary="建設業部会の会員企業による新年の賀詞交歓会です。",
        venue_name="東京商工会議所 本部 国際会議場", venue_address="東京都千代田区丸の内3-2-2",
    )  # fmt: skip
    count += 1

    _event(
        "青年部 経営者交流ナイト", "group:yeg", "exchange", "hybrid", _at(now, 11, 19), 2,
        [dict(name="会場参加", mode="in_person", capacity=40, audience="all", price_label="3,000円（税込）"),
         dict(name="オンライン参加", mode="online", capacity=100, audience="all", price_label="無料")],
        summary="若手経営者・後継者のための交流会です。オンラインでもご参加いただけます。",
        venue_name="東京商工会議所 本部 会議室", venue_address="東京都千代田区丸の内3-2-2",
        online_url="https://meet.example.jp/j/yeg-night",
    )  # fmt: skip
    _event(
        "女性会 講演会「これからの働き方と経営」", "group:womens", "seminar", "hybrid",
        _at(now, 17, 14), 2,
        [dict(name="会場参加", mode="in_person", capacity=60, audience="all", price_label="無料"),
         dict(name="オンライン参加", mode="online", capacity=300, audience="all", price_label="無料")],
        summary="女性経営者による講演と質疑応答。", speakers="株式会社つなぐ 代表取締役 山本 香",
        venue_name="東京商工会議所 本部 会議室", venue_address="東京都千代田区丸の内3-2-2",
        online_url="https://meet.example.jp/j/womens-talk",
    )  # fmt: skip
    count += 2

    past = _event(
        "ものづくり企業 工場見学会", "section:industry", "other", "in_person",
        _at(now, -10, 13), 3,
        [dict(name="会場参加", mode="in_person", capacity=25, audience="members", price_label="無料")],
        summary="区内のものづくり企業の工場を見学しました。",
        venue_name="株式会社山田製作所 本社工場", venue_address="東京都大田区",
    )  # fmt: skip
    _past_attendance(past, people[:10] + ([member] if member else []), now)
    load_survey(past, member.id if member else None)
    _ask_accommodation(past, people[1])
    count += 1

    if member:
        for event in (series, lottery):
            exists = db.session.scalar(
                select(Registration.id).where(
                    Registration.event_id == event.id, Registration.user_id == member.id
                )
            )
            if exists is None and member.company_id not in {
                r.company_id
                for r in db.session.scalars(
                    select(Registration).where(Registration.event_id == event.id)
                )
            }:
                register_for_frame(member, event.id, event.frames[0].id, {}, now, attestation=True)
    db.session.flush()
    return count


def _register_full(event: Event, people: list[User], now: datetime) -> None:
    q = event.questions[0].key if event.questions else None
    for i, user in enumerate(people):
        exists = db.session.scalar(
            select(Registration.id).where(
                Registration.event_id == event.id, Registration.user_id == user.id
            )
        )
        if exists is None:
            answers = {q: INDUSTRIES[i % len(INDUSTRIES)]} if q else {}
            register_for_frame(user, event.id, event.frames[0].id, answers, now)


def _ask_accommodation(event: Event, user: User) -> None:
    """One attendee asked for reasonable accommodation (合理的配慮): staff see it at the door
    and on the attendee list."""
    reg = db.session.scalar(
        select(Registration).where(
            Registration.event_id == event.id, Registration.user_id == user.id
        )
    )
    if reg is not None and not reg.accommodations:
        reg.accommodations = ["wheelchair"]
        reg.accommodation_note = "車いすで参加します。段差のない経路をご案内ください。"


def _past_attendance(event: Event, people: list[User], now: datetime) -> None:
    """Registrations of an event that already happened: most came, a few did not (no-shows)."""
    frame = event.frames[0]
    for i, user in enumerate(people):
        exists = db.session.scalar(
            select(Registration.id).where(
                Registration.event_id == event.id, Registration.user_id == user.id
            )
        )
        if exists is not None or frame.taken >= frame.capacity:
            continue
        when = event.starts_at - timedelta(days=7)
        reg = Registration(
            reference=new_reference(), event_id=event.id, frame_id=frame.id, user_id=user.id,
            company_id=user.company_id, active_user_id=user.id, status="confirmed",
            pass_token=secrets.token_urlsafe(16), confirmed_at=when, created_at=when, updated_at=when,
            checked_in_at=None if i % 4 == 3 else event.starts_at + timedelta(minutes=i),
        )  # fmt: skip
        db.session.add(reg)
        frame.taken += 1
    db.session.flush()
