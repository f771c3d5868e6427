"""Event rules: who may see and manage what; creating and changing events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import selectinload

from booking.errors import Invalid, NotAllowed, NotFound
from booking.events.models import (
    AUDIENCES,
    FORMATS,
    KINDS,
    MODES,
    QUESTION_KINDS,
    Event,
    EventSession,
    Frame,
    Question,
    Registration,
)
from booking.extensions import db
from booking.org.models import Unit
from booking.org.services import unit_by_key
from booking.timefmt import as_utc, parse_local


def can_see_member_only(viewer) -> bool:
    return bool(getattr(viewer, "is_authenticated", False) and viewer.is_member)


def visible_events(viewer) -> Select:
    """Published events the viewer may see: member-only ones only for members."""
    query = select(Event).where(Event.status == "published")
    if not can_see_member_only(viewer):
        query = query.where(Event.member_only.is_(False))
    return query


def upcoming_events(viewer, now: datetime, limit: int = 10) -> list[Event]:
    """The next events that have not ended yet, soonest first, with frames and unit loaded."""
    query = (
        visible_events(viewer)
        .where(Event.ends_at > now)
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
        .options(selectinload(Event.frames), selectinload(Event.unit))
    )
    return list(db.session.scalars(query))


@dataclass
class EventFilters:
    kind: str = ""
    unit: str = ""  # "hq", "branch:chiyoda", "section:ict", …
    format: str = ""
    q: str = ""
    date_from: datetime | None = None
    date_to: datetime | None = None
    has_seats: bool = False
    include_past: bool = False


def find_events(
    viewer, filters: EventFilters, now: datetime, limit: int = 200, offset: int = 0
) -> list[Event]:
    """Visible events matching the filters, soonest first; a fixed number of queries."""
    query = visible_events(viewer)
    if not filters.include_past and filters.date_from is None:
        query = query.where(Event.ends_at > now)
    if filters.kind in KINDS:
        query = query.where(Event.kind == filters.kind)
    if filters.format in FORMATS:
        query = query.where(Event.format == filters.format)
    if filters.unit:
        unit = unit_by_key(filters.unit)
        if unit is None:
            return []
        tagged = exists().where(
            Event.tags.property.secondary.c.event_id == Event.id,
            Event.tags.property.secondary.c.unit_id == unit.id,
        )
        query = query.where(or_(Event.unit_id == unit.id, tagged))
    if filters.date_from is not None:
        query = query.where(Event.ends_at >= as_utc(filters.date_from))
    if filters.date_to is not None:
        query = query.where(Event.starts_at < as_utc(filters.date_to))
    if filters.q:
        for word in filters.q.split()[:5]:
            like = f"%{word}%"
            query = query.where(
                or_(Event.title.ilike(like), Event.summary.ilike(like), Event.speakers.ilike(like))
            )
    if filters.has_seats:
        seats = exists().where(Frame.event_id == Event.id, Frame.taken < Frame.capacity)
        query = query.where(seats)
    query = (
        query.order_by(Event.starts_at, Event.id)
        .limit(limit)
        .offset(offset)
        .options(selectinload(Event.frames), selectinload(Event.unit))
    )
    return list(db.session.scalars(query))


def get_visible_event(event_id: int, viewer) -> Event:
    """An event the viewer may see (staff see drafts too). :raises NotFound:"""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound(_l("イベントが見つかりません。"))
    if getattr(viewer, "is_authenticated", False) and viewer.is_staff:
        return event
    if event.status == "draft" or (event.member_only and not can_see_member_only(viewer)):
        raise NotFound(_l("イベントが見つかりません。"))
    return event


def can_manage(user, event_or_unit) -> bool:
    """Staff of a branch manage their unit's events; HQ staff and admins manage all."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return False
    if user.is_admin or (user.unit is not None and user.unit.kind == "hq"):
        return True
    unit_id = event_or_unit.id if isinstance(event_or_unit, Unit) else event_or_unit.unit_id
    return user.unit_id is not None and user.unit_id == unit_id


def managed_events(user) -> Select:
    query = select(Event)
    if not (user.is_admin or (user.unit is not None and user.unit.kind == "hq")):
        query = query.where(Event.unit_id == (user.unit_id or -1))
    return query


def confirmed_counts(event_ids: list[int]) -> dict[int, dict[str, int]]:
    """{event_id: {status: count}} of active registrations, in one query."""
    if not event_ids:
        return {}
    rows = db.session.execute(
        select(Registration.event_id, Registration.status, func.count())
        .where(Registration.event_id.in_(event_ids))
        .group_by(Registration.event_id, Registration.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for event_id, status, n in rows:
        counts.setdefault(event_id, {})[status] = n
    return counts


# ---- creating and changing events (the API and the staff pages share these)


@dataclass
class FrameInput:
    name: str
    mode: str = "in_person"
    capacity: int = 0
    audience: str = "all"
    per_company_limit: int | None = None
    lottery: bool = False
    waitlist: bool = True
    price_label: str = ""
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    id: int | None = None


@dataclass
class EventInput:
    title: str = ""
    kind: str = "seminar"
    unit: str = "hq"
    format: str = "in_person"
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    status: str = "draft"
    member_only: bool = False
    summary: str = ""
    description: str = ""
    speakers: str = ""
    venue_name: str = ""
    venue_address: str = ""
    venue_access: str = ""
    online_url: str = ""
    attestation: bool = False
    cancel_until: datetime | None = None
    frames: list[FrameInput] = field(default_factory=list)
    sessions: list[tuple[datetime, datetime]] = field(default_factory=list)
    questions: list[dict] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def _text(value, name: str, max_len: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(_l("%(f)s は文字列で指定してください。", f=name), field=name)
    value = value.strip()
    if required and not value:
        raise Invalid(_l("%(f)s を入力してください。", f=name), field=name)
    if len(value) > max_len:
        raise Invalid(_l("%(f)s が長すぎます。", f=name), field=name)
    return value


def _when(value, name: str) -> datetime:
    if not isinstance(value, str):
        raise Invalid(_l("%(f)s は ISO 8601 の日時で指定してください。", f=name), field=name)
    try:
        return parse_local(value)
    except ValueError:
        raise Invalid(
            _l("%(f)s は ISO 8601 の日時で指定してください。", f=name), field=name
        ) from None


def _choice(value, allowed, name: str) -> str:
    if value not in allowed:
        raise Invalid(
            _l("%(f)s は %(allowed)s のいずれかです。", f=name, allowed=", ".join(allowed)),
            field=name,
        )
    return value


def _bool(value, name: str) -> bool:
    if not isinstance(value, bool):
        raise Invalid(_l("%(f)s は true か false で指定してください。", f=name), field=name)
    return value


def _int(value, name: str, minimum: int = 0, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise Invalid(_l("%(f)s は %(n)s 以上の整数です。", f=name, n=minimum), field=name)
    return value


def frame_from_payload(data, index: int) -> FrameInput:
    if not isinstance(data, dict):
        raise Invalid(_l("frames の各要素はオブジェクトです。"), field="frames")
    p = f"frames[{index}]."
    return FrameInput(
        id=_int(data.get("id"), p + "id", 1, optional=True),
        name=_text(data.get("name"), p + "name", 100, required=True),
        mode=_choice(data.get("mode", "in_person"), MODES, p + "mode"),
        capacity=_int(data.get("capacity"), p + "capacity"),
        audience=_choice(data.get("audience", "all"), AUDIENCES, p + "audience"),
        per_company_limit=_int(data.get("per_company_limit"), p + "per_company_limit", 1, True),
        lottery=_bool(data.get("lottery", False), p + "lottery"),
        waitlist=_bool(data.get("waitlist", True), p + "waitlist"),
        price_label=_text(data.get("price_label"), p + "price_label", 100),
        opens_at=_when(data["opens_at"], p + "opens_at") if data.get("opens_at") else None,
        closes_at=_when(data["closes_at"], p + "closes_at") if data.get("closes_at") else None,
    )


def event_from_payload(data: dict, partial: bool = False) -> dict:
    """Validate the API's event shape into model field values (only those given if partial).

    :raises Invalid: a field is missing or malformed (`field` names it).
    """
    out: dict = {}

    def given(key):
        return key in data and not (partial and data[key] is None and key != "online_url")

    required = ("title", "kind", "unit", "format", "starts_at", "ends_at")
    if not partial:
        for key in required:
            if key not in data:
                raise Invalid(_l("%(f)s を指定してください。", f=key), field=key)
    if given("title"):
        out["title"] = _text(data["title"], "title", 200, required=True)
    if given("kind"):
        out["kind"] = _choice(data["kind"], KINDS, "kind")
    if given("format"):
        out["format"] = _choice(data["format"], FORMATS, "format")
    if given("unit"):
        unit = unit_by_key(data["unit"]) if isinstance(data["unit"], str) else None
        if unit is None:
            raise Invalid(_l("主催の組織が見つかりません。"), field="unit")
        out["unit"] = unit
    for key in ("starts_at", "ends_at", "cancel_until"):
        if given(key):
            out[key] = _when(data[key], key)
    if given("status"):
        out["status"] = _choice(data["status"], ("draft", "published", "cancelled"), "status")
    for key in ("member_only", "attestation"):
        if given(key):
            out[key] = _bool(data[key], key)
    for key, size in (("summary", 400), ("description", 20000), ("speakers", 400)):
        if given(key):
            out[key] = _text(data[key], key, size)
    if given("online_url"):
        url = _text(data["online_url"], "online_url", 500)
        if url and not url.startswith(("https://", "http://")):
            raise Invalid(_l("オンラインのURLは https:// で始めてください。"), field="online_url")
        out["online_url"] = url
    if given("venue"):
        venue = data["venue"]
        if not isinstance(venue, dict):
            raise Invalid(_l("venue はオブジェクトです。"), field="venue")
        out["venue_name"] = _text(venue.get("name"), "venue.name", 200)
        out["venue_address"] = _text(venue.get("address"), "venue.address", 300)
        out["venue_access"] = _text(venue.get("access"), "venue.access", 300)
    if given("frames"):
        frames = data["frames"]
        if not isinstance(frames, list) or (not partial and not frames) or len(frames) > 20:
            raise Invalid(_l("frames は1件以上20件以下のリストです。"), field="frames")
        out["frames"] = [frame_from_payload(f, i) for i, f in enumerate(frames)]
    if given("sessions"):
        sessions = data["sessions"]
        if not isinstance(sessions, list) or len(sessions) > 50:
            raise Invalid(_l("sessions はリストです。"), field="sessions")
        parsed = []
        for i, s in enumerate(sessions):
            if not isinstance(s, dict):
                raise Invalid(_l("sessions の各要素はオブジェクトです。"), field="sessions")
            start, end = (
                _when(s.get("starts_at"), f"sessions[{i}].starts_at"),
                _when(s.get("ends_at"), f"sessions[{i}].ends_at"),
            )
            if end <= start:
                raise Invalid(_l("終了は開始より後にしてください。"), field="sessions")
            parsed.append((start, end, _text(s.get("title"), "title", 200)))
        out["sessions"] = parsed
    if given("questions"):
        questions = data["questions"]
        if not isinstance(questions, list) or len(questions) > 30:
            raise Invalid(_l("questions はリストです。"), field="questions")
        out["questions"] = [question_from_payload(q, i) for i, q in enumerate(questions)]
    if given("tags"):
        tags = data["tags"]
        if not isinstance(tags, list):
            raise Invalid(_l("tags はリストです。"), field="tags")
        units = []
        for key in tags:
            unit = unit_by_key(key) if isinstance(key, str) else None
            if unit is None:
                raise Invalid(_l("タグの組織が見つかりません。"), field="tags")
            units.append(unit)
        out["tags"] = units
    return out


def question_from_payload(data, index: int) -> dict:
    if not isinstance(data, dict):
        raise Invalid(_l("questions の各要素はオブジェクトです。"), field="questions")
    p = f"questions[{index}]."
    kind = _choice(data.get("kind", "text"), QUESTION_KINDS, p + "kind")
    choices = data.get("choices", [])
    if not isinstance(choices, list) or not all(isinstance(c, str) and c for c in choices):
        raise Invalid(_l("choices は文字列のリストです。"), field=p + "choices")
    if kind == "choice" and not choices:
        raise Invalid(_l("選択式の質問には選択肢が必要です。"), field=p + "choices")
    return {
        "label": _text(data.get("label"), p + "label", 200, required=True),
        "kind": kind,
        "choices": choices,
        "required": _bool(data.get("required", False), p + "required"),
    }


def _check_times(event: Event) -> None:
    if as_utc(event.ends_at) <= as_utc(event.starts_at):
        raise Invalid(_l("終了日時は開始日時より後にしてください。"), field="ends_at")


def create_event(values: dict, by, now: datetime) -> Event:
    """Create an event with its frames, sessions and questions (values from event_from_payload).

    :raises NotAllowed: `by` may not manage the organising unit.
    :raises Invalid: inconsistent values.
    """
    if not can_manage(by, values["unit"]):
        raise NotAllowed(_l("この組織のイベントを作成する権限がありません。"))
    frames = values.pop("frames", [])
    sessions = values.pop("sessions", [])
    questions = values.pop("questions", [])
    tags = values.pop("tags", [])
    if values.get("status") == "cancelled":
        raise Invalid(_l("中止状態のイベントは作成できません。"), field="status")
    event = Event(**values, created_at=now, updated_at=now)
    _check_times(event)
    for i, f in enumerate(frames):
        event.frames.append(_new_frame(f, i))
    for start, end, title in sessions:
        event.sessions.append(EventSession(starts_at=start, ends_at=end, title=title))
    if event.sessions:
        event.starts_at = min(s.starts_at for s in event.sessions)
        event.ends_at = max(s.ends_at for s in event.sessions)
    for i, q in enumerate(questions):
        event.questions.append(Question(position=i, **q))
    event.tags = tags
    db.session.add(event)
    db.session.flush()
    return event


def _new_frame(f: FrameInput, position: int) -> Frame:
    return Frame(
        position=position, name=f.name, mode=f.mode, capacity=f.capacity, audience=f.audience,
        per_company_limit=f.per_company_limit, lottery=f.lottery, waitlist=f.waitlist,
        price_label=f.price_label, opens_at=f.opens_at, closes_at=f.closes_at, taken=0,
    )  # fmt: skip


def my_registrations(user, now: datetime) -> tuple[list[Registration], list[Registration]]:
    """(upcoming, past) registrations of a person for My Page; cancelled ones only upcoming."""
    regs = list(
        db.session.scalars(
            select(Registration)
            .join(Event, Event.id == Registration.event_id)
            .where(Registration.user_id == user.id)
            .order_by(Event.starts_at, Registration.id)
            .options(
                selectinload(Registration.event).selectinload(Event.unit),
                selectinload(Registration.frame),
            )
        )
    )
    upcoming = [r for r in regs if as_utc(r.event.ends_at) > now]
    past = [r for r in reversed(regs) if as_utc(r.event.ends_at) <= now and r.status != "cancelled"]
    return upcoming, past
