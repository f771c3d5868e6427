"""How staff type a theme's routing questionnaire in the catalogue: one line a question, one
line starting with `-` a choice, what the choice suggests after an arrow.

    後継者は決まっていますか | Have you chosen a successor?
    - 親族に決まっている | Yes, within the family → channel=online, advisor=succession@demo.tsunagu.jp
    - まだ決まっていない | Not yet → theme=succession

`| English` is optional. Keys: theme, channel, branch (URL names), advisor (e-mail).
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from booking.consultations.routing import SUGGESTION_KEYS
from booking.errors import Invalid

MAX_QUESTIONS, MAX_CHOICES, TEXT_LENGTH = 5, 8, 200
_ARROW = re.compile(r"\s*(?:→|->|⇒)\s*")


def _names(text: str) -> tuple[str, str]:
    ja, _sep, en = text.partition("|")
    return ja.strip(), en.strip()


def _suggestions(text: str, line_no: int) -> dict[str, str]:
    found = {}
    for part in re.split(r"[,、，]", text):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep or key not in SUGGESTION_KEYS or not value:
            raise Invalid(
                _l("%(n)d行目: おすすめは「channel=online」のように、theme・channel・branch・"
                   "advisor のいずれかで書いてください。", n=line_no),
                field="routing",
            )  # fmt: skip
        found[key] = value.lower() if key == "advisor" else value
    return found


def routing_from_text(text: str) -> list[dict]:
    """The questionnaire typed in the catalogue. :raises Invalid: a line it cannot read."""
    routing: list[dict] = []
    for line_no, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line[0] in "-・－":
            if not routing:
                raise Invalid(
                    _l("%(n)d行目: 選択肢の前に質問を書いてください。", n=line_no),
                    field="routing",
                )
            label, _arrow, rest = _split_arrow(line[1:].strip())
            ja, en = _names(label)
            choice = {"label": ja, "label_en": en, **_suggestions(rest, line_no)}
            routing[-1]["choices"].append(choice)
        else:
            ja, en = _names(line)
            routing.append({"q": ja, "q_en": en, "choices": []})
        if any(len(v) > TEXT_LENGTH for v in _texts(routing[-1])):
            raise Invalid(
                _l("%(n)d行目: 1項目%(max)d文字以内にしてください。", n=line_no, max=TEXT_LENGTH),
                field="routing",
            )
    _check_shape(routing)
    return routing


def _split_arrow(text: str) -> tuple[str, str, str]:
    parts = _ARROW.split(text, maxsplit=1)
    return (parts[0], "→", parts[1]) if len(parts) == 2 else (parts[0], "", "")


def _texts(question: dict):
    yield question["q"]
    yield question["q_en"]
    for choice in question["choices"]:
        yield from (v for v in choice.values())


def _check_shape(routing: list[dict]) -> None:
    if len(routing) > MAX_QUESTIONS:
        raise Invalid(_l("質問は%(n)d件までにしてください。", n=MAX_QUESTIONS), field="routing")
    for question in routing:
        if not question["q"]:
            raise Invalid(_l("質問の文を入力してください。"), field="routing")
        if not 2 <= len(question["choices"]) <= MAX_CHOICES:
            raise Invalid(
                _l("「%(q)s」の選択肢は2つから%(n)d個にしてください。", q=question["q"],
                   n=MAX_CHOICES),
                field="routing",
            )  # fmt: skip
        if any(not c["label"] for c in question["choices"]):
            raise Invalid(_l("選択肢の文を入力してください。"), field="routing")


def routing_to_text(routing: list[dict]) -> str:
    """The questionnaire as staff edit it (the inverse of `routing_from_text`)."""
    lines = []
    for question in routing or []:
        lines.append(_join(question.get("q", ""), question.get("q_en", "")))
        for choice in question.get("choices") or []:
            line = "- " + _join(choice.get("label", ""), choice.get("label_en", ""))
            wants = [f"{k}={choice[k]}" for k in SUGGESTION_KEYS if choice.get(k)]
            lines.append(line + (" → " + ", ".join(wants) if wants else ""))
    return "\n".join(lines)


def _join(ja: str, en: str) -> str:
    return f"{ja} | {en}" if en else ja
