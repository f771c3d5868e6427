"""Reading an event from JSON or form data into checked values, with field-level messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l

from booking.errors import Invalid
from booking.events.models import (
    AUDIENCES,
    FORMATS,
    KINDS,
    MODES,
    QUESTION_KINDS,
)
from booking.org.services import unit_by_key
from booking.timefmt import parse_local

NULLABLE = ("online_url", "per_company_limit")
MAX_INT = 2**31 - 1


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
        # null clears what may be empty (the URL, the per-company limit); else means "unchanged"
        return key in data and not (partial and data[key] is None and key not in NULLABLE)

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
    for key, size in (
        ("summary", 400),
        ("description", 20000),
        ("speakers", 400),
        ("payment_note", 500),
    ):
        if given(key):
            out[key] = _text(data[key], key, size)
    if given("per_company_limit"):
        out["per_company_limit"] = _int(data["per_company_limit"], "per_company_limit", 1, True)
    if given("version"):
        # PATCH: the version the change was based on; a stale one is refused (409).
        version = _int(data["version"], "version", 1)
        if version > MAX_INT:
            raise Invalid(_l("%(f)s は %(n)s 以上の整数です。", f="version", n=1), field="version")
        out["version"] = version
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
