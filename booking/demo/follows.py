"""Demo data that makes recommendations and follows visible: what some events are about
(tags), what the demo company cares about (interests), and what member@ follows."""

from __future__ import annotations

from sqlalchemy import select

from booking.accounts.models import Company, User
from booking.events.models import Event
from booking.extensions import db
from booking.follows.services import follow
from booking.org.services import unit_by_key

# A part of an event's title → the sections it is about.
TAGS = {
    "ものづくりゼミナール": ["section:industry"],
    "身の丈BCP策定ワークショップ": ["section:industry"],
    "イノベーション創出連続セミナー": ["section:ict"],
    "オープンイノベーション実践セミナー": ["section:ict"],
    "大手企業とスタートアップ企業": ["section:ict"],
}
# 株式会社山田製作所 (member@) is in the 工業部会 and cares about digital shift (情報通信部会).
INTERESTS = {"1300001": ["section:ict"]}
FOLLOWS = {"member@demo.tsunagu.jp": ["section:industry"]}


def load_follows() -> int:
    """Tag events, set interests, follow; idempotent. Returns the number of follows."""
    for fragment, keys in TAGS.items():
        units = [unit_by_key(key) for key in keys]
        for event in db.session.scalars(select(Event).where(Event.title.contains(fragment))):
            event.tags = [*event.tags, *(u for u in units if u not in event.tags)]
    for member_no, keys in INTERESTS.items():
        company = db.session.scalar(select(Company).where(Company.member_no == member_no))
        if company is not None:
            company.interests = [unit_by_key(key) for key in keys]
    count = 0
    for email, keys in FOLLOWS.items():
        user = db.session.scalar(select(User).where(User.email == email))
        for key in keys if user is not None else []:
            follow(user, key)
            count += 1
    db.session.flush()
    return count
