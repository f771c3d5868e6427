"""The rush bench's data: units, people with API tokens, the rush event and the list's events."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta


def seed(url: str, people: int, seats: int, list_events: int, list_regs: int) -> dict:
    """Units, people with API tokens, the rush event, and the list page's events."""
    from sqlalchemy import insert, select

    from booking import create_app
    from booking.accounts.models import ApiToken, Company, User
    from booking.demo import chamber_data
    from booking.events.models import Event, Frame, Registration
    from booking.extensions import db
    from booking.org.models import Unit
    from booking.org.services import load_structure
    from booking.tokens import token_hash

    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        load_structure(chamber_data())
        db.session.commit()
        units = db.session.scalars(select(Unit.id)).all()
        hq = db.session.scalar(select(Unit.id).where(Unit.kind == "hq"))
        now = datetime.now(UTC)
        db.session.execute(insert(Company), [
            {"name": f"株式会社ベンチ{i}", "name_kana": "ベンチ", "member_no": f"88{i:06d}",
             "created_at": now, "updated_at": now} for i in range(people)
        ])  # fmt: skip
        company_ids = db.session.scalars(select(Company.id).order_by(Company.id)).all()
        db.session.execute(insert(User), [
            {"email": f"bench{i}@example.jp", "role": "member", "family_name": "負荷",
             "given_name": str(i), "family_kana": "フカ", "given_kana": "テスト",
             "company_id": company_ids[i], "locale": "ja", "active": True, "session_version": 1,
             "created_at": now, "updated_at": now} for i in range(people)
        ])  # fmt: skip
        user_ids = db.session.scalars(select(User.id).order_by(User.id)).all()
        tokens = [secrets.token_urlsafe(32) for _ in user_ids]
        db.session.execute(insert(ApiToken), [
            {"user_id": uid, "token_hash": token_hash(t), "created_at": now}
            for uid, t in zip(user_ids, tokens, strict=True)
        ])  # fmt: skip
        start = now + timedelta(days=30)
        rush = Event(title="ラッシュ計測セミナー", kind="seminar", format="in_person", unit_id=hq,
                     starts_at=start, ends_at=start + timedelta(hours=2), status="published",
                     frames=[Frame(name="会場参加", capacity=seats, taken=0)])  # fmt: skip
        # Registrations for this one warm a new server's registration path before it is
        # measured, as `peers/pretix_rush.sh` warms pretix's order path (60 orders, 10 seats).
        warm = Event(title="ウォームアップ", kind="seminar", format="in_person", unit_id=hq,
                     starts_at=start, ends_at=start + timedelta(hours=2), status="published",
                     frames=[Frame(name="会場参加", capacity=10, taken=0)])  # fmt: skip
        db.session.add_all([rush, warm])
        db.session.flush()
        rush_id, frame_id = rush.id, rush.frames[0].id
        warm_id, warm_frame = warm.id, warm.frames[0].id

        kinds, formats = (
            ("seminar", "exchange", "exhibition", "other"),
            ("in_person", "online", "hybrid"),
        )
        db.session.execute(insert(Event), [
            {"title": f"計測イベント {i}", "kind": kinds[i % 4], "format": formats[i % 3],
             "unit_id": units[i % len(units)], "starts_at": now + timedelta(hours=2 + i),
             "ends_at": now + timedelta(hours=4 + i), "status": "published", "member_only": i % 7 == 0,
             "summary": "", "description": "", "speakers": "", "venue_name": "本部 会議室",
             "venue_address": "", "venue_access": "", "online_url": "", "attestation": False,
             "sequence": 0, "created_at": now, "updated_at": now}
            for i in range(list_events)
        ])  # fmt: skip
        event_ids = db.session.scalars(
            select(Event.id).where(Event.id.not_in((rush_id, warm_id))).order_by(Event.id)
        ).all()
        per_event = max(list_regs // max(list_events, 1), 0)
        db.session.execute(insert(Frame), [
            {"event_id": eid, "position": 0, "name": "会場参加", "mode": "in_person", "audience": "all",
             "capacity": per_event + 5, "taken": per_event, "price_label": "無料", "lottery": False,
             "waitlist": True} for eid in event_ids
        ])  # fmt: skip
        frames = dict(
            db.session.execute(
                select(Frame.event_id, Frame.id).where(Frame.event_id.not_in((rush_id, warm_id)))
            ).all()
        )
        rows = []
        for n, eid in enumerate(event_ids):
            for k in range(per_event):
                uid = user_ids[(n * per_event + k) % len(user_ids)]
                rows.append({
                    "reference": f"B{n:05d}-{k:03d}", "event_id": eid, "frame_id": frames[eid],
                    "user_id": uid, "active_user_id": uid, "status": "confirmed", "answers": {},
                    "attestation": False, "queue_rank": 0, "pass_token": secrets.token_urlsafe(16),
                    "late_cancel": False, "sequence": 0, "created_at": now, "updated_at": now,
                })  # fmt: skip
            if len(rows) >= 5000:
                db.session.execute(insert(Registration), rows)
                rows = []
        if rows:
            db.session.execute(insert(Registration), rows)
        db.session.commit()
        db.engine.dispose()
    return {"tokens": tokens, "event": rush_id, "frame": frame_id,
            "warm_event": warm_id, "warm_frame": warm_frame}  # fmt: skip
