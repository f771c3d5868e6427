"""Staff forms: an event with up to two frames (in person, online) and its questions; one
frame (参加枠) after creation; one session of a series."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from booking.events.models import Event
from booking.forms import BoundedIntegerField

REQUIRED = _l("入力してください。")
LOCAL = "%Y-%m-%dT%H:%M"
COUNT = _l("0以上100000以下の数字で入力してください。")


def _kinds():
    return [SelectChoice("seminar", _l("セミナー・講演会")), SelectChoice("exchange", _l("交流会・商談会")),
            SelectChoice("exhibition", _l("展示会")), SelectChoice("other", _l("その他"))]  # fmt: skip


def _formats():
    return [SelectChoice("in_person", _l("会場参加")), SelectChoice("online", _l("オンライン参加")),
            SelectChoice("hybrid", _l("ハイブリッド開催"))]  # fmt: skip


def _audiences():
    return [SelectChoice("all", _l("会員・一般")), SelectChoice("members", _l("会員のみ")),
            SelectChoice("guests", _l("一般のみ"))]  # fmt: skip


class EventForm(FlaskForm):
    title = StringField(_l("タイトル"), validators=[DataRequired(REQUIRED), Length(max=200)])
    kind = SelectField(_l("種別"), choices=_kinds)
    unit = SelectField(_l("主催"))
    format = SelectField(_l("開催形式"), choices=_formats)
    starts_at = DateTimeLocalField(
        _l("開始日時"), format=LOCAL, validators=[DataRequired(REQUIRED)]
    )
    ends_at = DateTimeLocalField(_l("終了日時"), format=LOCAL, validators=[DataRequired(REQUIRED)])
    cancel_until = DateTimeLocalField(
        _l("キャンセル期限（空欄なら開始まで）"), format=LOCAL, validators=[Optional()]
    )
    member_only = BooleanField(_l("会員限定（一般の方には表示しない）"))
    summary = StringField(_l("概要（一覧に表示）"), validators=[Length(max=400)])
    description = TextAreaField(_l("内容（Markdown）"), validators=[Length(max=20000)])
    speakers = StringField(_l("講師"), validators=[Length(max=400)])
    venue_name = StringField(_l("会場名"), validators=[Length(max=200)])
    venue_address = StringField(_l("会場住所"), validators=[Length(max=300)])
    venue_access = StringField(_l("アクセス"), validators=[Length(max=300)])
    online_url = StringField(_l("オンライン参加用URL"), validators=[Length(max=500)])
    attestation = BooleanField(_l("会場参加者に健康状態の確認を求める"))
    payment_note = TextAreaField(_l("お支払い方法のご案内（有料の参加枠があるとき）"),
                                 validators=[Length(max=500)])  # fmt: skip
    tags = SelectMultipleField(
        _l("関連する部会・グループ（会員の関心と照合）"), choices=[], validate_choice=True
    )
    questions = TextAreaField(
        _l("申込時の質問"),
        description=_l(
            "1行に1問。先頭に * で必須、「質問: 選択肢A / 選択肢B」で選択式、先頭に [ ] でチェックボックス。"
        ),
    )
    # The in-person and online frames (参加枠); capacity 0 leaves a frame out.
    venue_capacity = BoundedIntegerField(
        _l("会場参加の定員"), default=0, validators=[Optional(), NumberRange(min=0, max=100000)]
    )
    venue_price = StringField(_l("会場参加の参加費"), default="無料", validators=[Length(max=100)])
    venue_audience = SelectField(_l("会場参加の対象"), choices=_audiences)
    online_capacity = BoundedIntegerField(
        _l("オンライン参加の定員"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=100000)],
    )
    online_price = StringField(
        _l("オンライン参加の参加費"), default="無料", validators=[Length(max=100)]
    )
    online_audience = SelectField(_l("オンライン参加の対象"), choices=_audiences)
    # The event's limit, across all its frames (a hybrid event's both frames count together).
    per_company_limit = BoundedIntegerField(
        _l("1社あたりの上限人数（すべての参加枠の合計。空欄なら制限なし）"),
        validators=[Optional(), NumberRange(min=1, max=1000)],
    )
    # The event's version the edit form was opened at (the optimistic check of `versions`).
    version = HiddenField()
    lottery = BooleanField(_l("抽選にする（締切後に抽選）"))
    closes_at = DateTimeLocalField(
        _l("申込締切（空欄なら開始まで）"), format=LOCAL, validators=[Optional()]
    )


def _fmt(value) -> str | None:
    return value.strftime(LOCAL) if value else None


def parse_questions(text: str) -> list[dict]:
    """The one-question-per-line syntax of the staff form into the API's question shape."""
    questions = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        required = line.startswith("*")
        line = line.lstrip("*").strip()
        if line.startswith("[ ]") or line.startswith("[]"):
            questions.append(
                {"label": line.split("]", 1)[1].strip(), "kind": "checkbox", "required": required}
            )
        elif ":" in line or "：" in line:
            label, _, rest = line.replace("：", ":").partition(":")
            choices = [c.strip() for c in rest.replace("／", "/").split("/") if c.strip()]
            questions.append(
                {"label": label.strip(), "kind": "choice", "choices": choices, "required": required}
            )
        else:
            questions.append({"label": line, "kind": "text", "required": required})
    return questions


def questions_text(event: Event) -> str:
    lines = []
    for q in event.questions:
        star = "*" if q.required else ""
        if q.kind == "checkbox" and not q.choices:
            lines.append(f"{star}[ ] {q.label}")
        elif q.choices:
            lines.append(f"{star}{q.label}: {' / '.join(q.choices)}")
        else:
            lines.append(f"{star}{q.label}")
    return "\n".join(lines)


def payload_from(form: EventForm, status: str | None = None, with_frames: bool = True) -> dict:
    """The API's event shape, so that the form and the API share one validation."""
    payload = {
        "title": form.title.data, "kind": form.kind.data, "unit": form.unit.data,
        "format": form.format.data, "starts_at": _fmt(form.starts_at.data),
        "ends_at": _fmt(form.ends_at.data), "member_only": bool(form.member_only.data),
        "summary": form.summary.data or "", "description": form.description.data or "",
        "speakers": form.speakers.data or "", "online_url": form.online_url.data or "",
        "venue": {"name": form.venue_name.data or "", "address": form.venue_address.data or "",
                  "access": form.venue_access.data or ""},
        "attestation": bool(form.attestation.data),
        "payment_note": form.payment_note.data or "",
        "tags": list(form.tags.data or []),
        "per_company_limit": form.per_company_limit.data or None,
    }  # fmt: skip
    if form.cancel_until.data:
        payload["cancel_until"] = _fmt(form.cancel_until.data)
    if status:
        payload["status"] = status
    if with_frames:
        frames = []
        common = {"lottery": bool(form.lottery.data), "closes_at": _fmt(form.closes_at.data)}
        if form.venue_capacity.data:
            frames.append({"name": "会場参加", "mode": "in_person", "capacity": form.venue_capacity.data,
                           "audience": form.venue_audience.data, "price_label": form.venue_price.data or "", **common})  # fmt: skip
        if form.online_capacity.data:
            frames.append({"name": "オンライン参加", "mode": "online", "capacity": form.online_capacity.data,
                           "audience": form.online_audience.data, "price_label": form.online_price.data or "", **common})  # fmt: skip
        payload["frames"] = frames
        payload["questions"] = parse_questions(form.questions.data)
    return payload


def fill_from(form: EventForm, event: Event) -> None:
    from booking.timefmt import to_local

    form.title.data, form.kind.data, form.unit.data = event.title, event.kind, event.unit.key
    form.format.data, form.member_only.data = event.format, event.member_only
    form.starts_at.data = to_local(event.starts_at).replace(tzinfo=None)
    form.ends_at.data = to_local(event.ends_at).replace(tzinfo=None)
    form.cancel_until.data = (
        to_local(event.cancel_until).replace(tzinfo=None) if event.cancel_until else None
    )
    form.summary.data, form.description.data = event.summary, event.description
    form.speakers.data, form.online_url.data = event.speakers, event.online_url
    form.venue_name.data, form.venue_address.data = event.venue_name, event.venue_address
    form.venue_access.data, form.attestation.data = event.venue_access, event.attestation
    form.payment_note.data = event.payment_note
    form.questions.data = questions_text(event)
    form.tags.data = [t.key for t in event.tags]
    form.per_company_limit.data = event.per_company_limit
    form.version.data = str(event.version)


COMPARED = ("title", "kind", "format", "starts_at", "ends_at", "cancel_until", "member_only",
            "summary", "description", "speakers", "venue_name", "venue_address", "venue_access",
            "online_url", "attestation", "per_company_limit", "questions")  # fmt: skip


def stale_edit_help(form: FlaskForm, event: Event) -> None:
    """After a stale save: name the fields whose stored value differs from what was typed,
    and take the stored version, so that saving again (after checking) overwrites."""
    stored = EventForm(formdata=None, meta={"csrf": False})
    fill_from(stored, event)
    differ = [
        str(form[name].label.text)
        for name in COMPARED
        if name in form and (form[name].data or None) != (stored[name].data or None)
    ]
    if differ:
        form.form_errors.append(
            str(_l("保存されている内容と異なる項目: %(fields)s", fields="、".join(differ)))
        )
    form.version.data = str(event.version)


class MessageForm(FlaskForm):
    subject = StringField(_l("件名"), validators=[DataRequired(REQUIRED), Length(max=100)])
    body = TextAreaField(_l("本文"), validators=[DataRequired(REQUIRED), Length(max=5000)])
    frame = SelectField(_l("参加枠"))
    status = SelectField(
        _l("対象"),
        choices=[
            SelectChoice("confirmed", _l("参加確定の方")),
            SelectChoice("waitlisted", _l("キャンセル待ちの方")),
            SelectChoice("applied", _l("抽選申込中の方")),
            SelectChoice("active", _l("すべての申込者")),
        ],
    )


class FrameForm(FlaskForm):
    """One frame (参加枠), added or changed after the event was created."""

    name = StringField(_l("参加枠の名前"), validators=[DataRequired(REQUIRED), Length(max=100)])
    mode = SelectField(
        _l("参加方法"),
        choices=lambda: [SelectChoice("in_person", _l("会場参加")),
                         SelectChoice("online", _l("オンライン参加"))],
    )  # fmt: skip
    capacity = BoundedIntegerField(
        _l("定員"),
        validators=[InputRequired(REQUIRED), NumberRange(min=0, max=100000, message=COUNT)],
    )
    audience = SelectField(_l("対象（会員限定の枠は「会員のみ」）"), choices=_audiences)
    price_label = StringField(_l("参加費"), validators=[Length(max=100)])
    opens_at = DateTimeLocalField(
        _l("申込受付の開始（空欄なら公開時から）"), format=LOCAL, validators=[Optional()]
    )
    closes_at = DateTimeLocalField(
        _l("申込締切・抽選の締切（空欄なら開始まで）"), format=LOCAL, validators=[Optional()]
    )
    per_company_limit = BoundedIntegerField(
        _l("この参加枠の1社あたりの上限人数（空欄なら制限なし）"),
        validators=[Optional(), NumberRange(min=1, max=1000)],
    )
    waitlist = BooleanField(_l("満席のときキャンセル待ちを受け付ける"), default=True)
    lottery = BooleanField(_l("抽選にする（締切の後に抽選）"))
    version = HiddenField()

    def validate_lottery(self, field) -> None:
        if field.data and not self.closes_at.data:
            raise ValidationError(_l("抽選にする場合は締切を入力してください。"))

    def validate_closes_at(self, field) -> None:
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("締切は受付開始より後にしてください。"))


def frame_payload(form: FrameForm) -> dict:
    """The API's frame shape, so that the page and the API share one validation."""
    return {
        "name": form.name.data, "mode": form.mode.data, "capacity": form.capacity.data,
        "audience": form.audience.data,
        "price_label": form.price_label.data or "",
        "opens_at": _fmt(form.opens_at.data), "closes_at": _fmt(form.closes_at.data),
        "per_company_limit": form.per_company_limit.data or None,
        "waitlist": bool(form.waitlist.data), "lottery": bool(form.lottery.data),
    }  # fmt: skip


def fill_frame(form: FrameForm, frame) -> None:
    from booking.timefmt import to_local

    form.name.data, form.mode.data, form.capacity.data = frame.name, frame.mode, frame.capacity
    form.audience.data = frame.audience
    form.price_label.data, form.per_company_limit.data = frame.price_label, frame.per_company_limit
    for name in ("opens_at", "closes_at"):
        value = getattr(frame, name)
        form[name].data = to_local(value).replace(tzinfo=None) if value else None
    form.waitlist.data, form.lottery.data = frame.waitlist, frame.lottery
    form.version.data = str(frame.event.version)


class SessionForm(FlaskForm):
    """One session of a series (連続講座): added, or moved to a new time."""

    title = StringField(_l("回の名前（例: 第2回 財務の基礎）"), validators=[Length(max=200)])
    starts_at = DateTimeLocalField(
        _l("開始日時"), format=LOCAL, validators=[DataRequired(REQUIRED)]
    )
    ends_at = DateTimeLocalField(_l("終了日時"), format=LOCAL, validators=[DataRequired(REQUIRED)])
    version = HiddenField()

    def validate_ends_at(self, field) -> None:
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("終了日時は開始日時より後にしてください。"))
