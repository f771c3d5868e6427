"""`demo load` adds the trade fair: ~300 accepted exhibitors with booths, twice the same."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from booking.accounts.models import User
from booking.demo import load
from booking.events.models import Event, Registration
from booking.exhibitions.lookup import fair_days
from booking.exhibitions.models import (
    Booth,
    Exhibition,
    Exhibitor,
    MeetingHours,
    Zone,
    exhibitor_categories,
)
from booking.extensions import db
from booking.timefmt import local_zone, now_utc

TABLES = (Exhibition, Zone, Booth, Exhibitor, MeetingHours, Registration)


def _counts() -> dict:
    counts = {t.__name__: db.session.scalar(select(func.count()).select_from(t)) for t in TABLES}
    counts["categories"] = db.session.scalar(select(func.count()).select_from(exhibitor_categories))
    counts["assigned"] = db.session.scalar(
        select(func.count()).where(Booth.exhibitor_id.is_not(None))
    )
    return counts


def test_demo_load_adds_the_fair_once(runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    counts = _counts()
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert _counts() == counts
    assert "exhibitor@demo.tsunagu.jp" in second.output

    (fair,) = db.session.scalars(select(Exhibition)).all()
    assert fair.event.title.startswith("中小企業マーケットTOKYO")
    assert (fair.event.kind, fair.event.format, fair.event.status) == (
        "exhibition", "hybrid", "published",
    )  # fmt: skip
    assert len(fair_days(fair)) == 2
    assert sorted(f.name for f in fair.event.frames) == ["オンライン来場", "会場来場"]
    assert fair.entrances == ["東口", "西口", "南口"] and fair.meeting_minutes == 30
    assert [z.code for z in fair.zones] == list("ABCDEF")

    statuses = dict(
        db.session.execute(select(Exhibitor.status, func.count()).group_by(Exhibitor.status)).all()
    )
    assert statuses == {"accepted": 300, "applied": 5, "waitlisted": 3}
    with_booth = db.session.scalar(
        select(func.count(func.distinct(Booth.exhibitor_id))).where(Booth.exhibitor_id.is_not(None))
    )
    in_person = db.session.scalar(
        select(func.count()).where(
            Exhibitor.status == "accepted", Exhibitor.participation != "online"
        )
    )
    assert with_booth == in_person >= 280
    assert counts["Booth"] == 300
    # One exhibitor per booth, and booths only for accepted exhibitors.
    assert db.session.scalar(
        select(func.count()).select_from(Booth).join(Exhibitor).where(Exhibitor.status != "accepted")
    ) == 0  # fmt: skip
    with_hours = db.session.scalar(select(func.count(func.distinct(MeetingHours.exhibitor_id))))
    assert 240 <= with_hours < 300
    assert set(db.session.scalars(select(MeetingHours.day).distinct())) == set(fair_days(fair))
    assert db.session.scalar(select(func.count()).where(MeetingHours.mode == "online")) > 0
    assert counts["categories"] >= 300

    names = db.session.scalars(select(Exhibitor).where(Exhibitor.status == "accepted")).all()
    assert len({e.name for e in names}) == 300
    assert all(e.kana and e.pr_text and e.categories for e in names)

    account = db.session.scalar(select(User).where(User.email == "exhibitor@demo.tsunagu.jp"))
    mine = db.session.scalar(select(Exhibitor).where(Exhibitor.company_id == account.company_id))
    assert mine.status == "accepted" and mine.booths
    member_reg = db.session.scalar(
        select(Registration)
        .join(User, User.id == Registration.user_id)
        .where(User.email == "member@demo.tsunagu.jp", Registration.event_id == fair.event_id)
    )
    assert member_reg is not None and member_reg.status == "confirmed"


def test_a_later_load_moves_the_fair_and_its_meeting_hours(app):
    now = now_utc()
    load(now)
    db.session.commit()
    before = _counts()
    load(now + timedelta(days=3))
    db.session.commit()
    assert _counts() == before
    fair = db.session.scalars(select(Exhibition)).one()
    days = fair_days(fair)
    assert days[0] == (now + timedelta(days=3 + 9)).astimezone(local_zone()).date()
    assert set(db.session.scalars(select(MeetingHours.day).distinct())) == set(days)
    assert (
        db.session.scalar(
            select(func.count()).select_from(Event).where(Event.title == fair.event.title)
        )
        == 1
    )
