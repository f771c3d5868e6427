"""Feed serving against bare icalendar serialisation, and the cost of a 304.

    .venv/bin/python bench/feeds.py                      # 5,000 public events, 300 bookings
    .venv/bin/python bench/feeds.py --events 500 --bookings 50 --repeat 3
    .venv/bin/python bench/feeds.py --database-url postgresql://postgres@127.0.0.1:5432/x

For each feed it prints the best time (of interleaved runs) to serve it over HTTP (Flask test client, database
included), the time for icalendar alone to build and serialise the same events from
CalendarItems already in memory, their ratio (target ≤ 1.5), and the time of a 304 answer
to a request carrying the ETag (target < 5 % of a full answer); "(median)" is the ratio of
medians, a check that the best-of figures are not flukes.

The private feed's 300 bookings come from a stand-in private source (registrations are
another domain's): it loads 300 events from the database and turns them into items, as a
registration source would.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select
from sqlalchemy.orm import joinedload


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=5000)
    ap.add_argument("--bookings", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = ap.parse_args()

    from booking import create_app
    from booking.accounts.services import PersonDetails, create_user
    from booking.calendars import feed_tokens, settings
    from booking.calendars import items as registry
    from booking.calendars.event_items import EventLabels, event_item
    from booking.calendars.ics import build_feed
    from booking.demo import chamber_data
    from booking.events.models import Event
    from booking.extensions import db
    from booking.org.models import Unit
    from booking.org.services import load_structure
    from booking.timefmt import now_utc
    from config import normalise_database_url

    tmp = tempfile.TemporaryDirectory()
    url = normalise_database_url(args.database_url or f"sqlite:///{tmp.name}/bench.sqlite")
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_structure(chamber_data())
        db.session.commit()
        units = db.session.scalars(select(Unit.id)).all()
        now = now_utc().replace(microsecond=0)
        kinds = ("seminar", "exchange", "exhibition", "other")
        rows = []
        for n in range(args.events):
            start = now + timedelta(days=n % 180, hours=n % 9)
            rows.append({
                "kind": kinds[n % 4], "format": ("in_person", "online", "hybrid")[n % 3],
                "unit_id": units[n % len(units)],
                "title": f"中小企業のためのデジタル化推進セミナー 第{n}回, 生成AI; 情報セキュリティ",
                "summary": "経営者・担当者向けに、最新の事例と補助金の活用方法を解説します。",
                "description": "講師: 山田 太郎（中小企業診断士）\n定員: 50名", "speakers": "",
                "venue_name": "東京商工会議所 本部 会議室",
                "venue_address": "東京都千代田区丸の内3-2-2 丸の内二重橋ビル",
                "venue_access": "", "online_url": "https://meet.example.jp/j/123",
                "starts_at": start, "ends_at": start + timedelta(hours=2),
                "status": "published", "member_only": False, "sequence": n % 3,
                "created_at": now - timedelta(days=30), "updated_at": now - timedelta(days=1),
            })  # fmt: skip
        db.session.execute(insert(Event), rows)
        person = create_user("bench@example.jp", "correct-horse-1", "member",
                             PersonDetails("山田", "太郎", "ヤマダ", "タロウ", ""))  # fmt: skip
        token = feed_tokens.ensure_feed_token(person, now)
        db.session.commit()
        person_id = person.id

        def bookings(user, now_):
            events = db.session.scalars(
                select(Event).options(joinedload(Event.unit)).order_by(Event.id)
                .limit(args.bookings)
            ).all()  # fmt: skip
            labels = EventLabels.current()  # once per feed, as a real source should
            return [
                event_item(e, join_url=True, kind="registration", labels=labels) for e in events
            ]

        def bookings_version(user, now_):
            # What a registrations source would do: one aggregate over the person's rows.
            first = select(Event.id, Event.updated_at, Event.sequence).order_by(Event.id)
            sub = first.limit(args.bookings).subquery()
            return db.session.execute(
                select(func.count(), func.max(sub.c.updated_at), func.sum(sub.c.sequence))
            ).one()

        registry.register_private_source(app, bookings, "bench.bookings", version=bookings_version)

        client = app.test_client()
        results = []
        cases = [
            ("public feed", "/calendar/public.ics", args.events),
            ("private feed", f"/calendar/{token}.ics", args.bookings),
        ]
        for name, path, count in cases:
            first = client.get(path)
            assert first.status_code == 200, first.status_code
            etag = first.headers["ETag"]
            assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
            # The same events as items already in memory: icalendar's work alone.
            if name == "public feed":
                events = db.session.scalars(
                    select(Event).options(joinedload(Event.unit)).order_by(Event.starts_at)
                ).all()
                items = [event_item(e) for e in events]
                opts = settings.feed_options(name="bench", private=False, alarm=False)
            else:
                user = db.session.get(type(person), person_id)
                items = list(bookings(user, now))
                opts = settings.feed_options(name="bench", private=True, alarm=True)
            assert len(items) == count
            # Interleaved, so a busy machine slows both sides alike; best of `repeat` each.
            served, bare, not_modified = [], [], []
            for _ in range(args.repeat):
                served.append(timed(lambda p=path: client.get(p).data))
                bare.append(timed(lambda i=items, o=opts: build_feed(i, o)))
                not_modified.append(
                    timed(lambda p=path, e=etag: client.get(p, headers={"If-None-Match": e}))
                )
            results.append((name, count, len(first.data), min(served), min(bare),
                            min(not_modified), statistics.median(served) / statistics.median(bare)))  # fmt: skip
        db.session.remove()
        db.engine.dispose()

    print(f"feeds benchmark ({url.split(':')[0]}), best of {args.repeat} interleaved runs")
    print(f"{'feed':<13} {'items':>6} {'bytes':>9} {'served':>9} {'bare':>9} {'ratio':>6} "
          f"{'(median)':>8} {'304':>9} {'304 share':>9}")  # fmt: skip
    for name, count, size, served, bare, nm, median_ratio in results:
        print(
            f"{name:<13} {count:>6} {size:>9} {served * 1000:>7.1f}ms {bare * 1000:>7.1f}ms "
            f"{served / bare:>6.2f} {median_ratio:>8.2f} {nm * 1000:>7.2f}ms {nm / served:>8.1%}"
        )
    print("targets: ratio ≤ 1.50 (serving vs bare icalendar), 304 share < 5 %")


if __name__ == "__main__":
    main()
