"""Intake routing: a theme's short questionnaire, asked before the slot choice, and what the
answers suggest (theme, channel, branch, advisor).

The questionnaire is data (`Theme.routing`, edited by staff in the catalogue):

    [{"q": "後継者は決まっていますか", "q_en": "Have you chosen a successor?",
      "choices": [{"label": "親族に決まっている", "label_en": "…",
                   "channel": "online", "advisor": "succession@demo.tsunagu.jp"}, …]}, …]

`suggest` is the one rule; `resolve` only turns its names into what can be booked today.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from booking.accounts.models import User
from booking.consultations.models import Advisor, Channel, Theme
from booking.extensions import db
from booking.localnames import localized
from booking.org.models import Unit

# What a choice may suggest: a theme, channel or branch by its URL name, an advisor by e-mail.
SUGGESTION_KEYS = ("theme", "channel", "branch", "advisor")


@dataclass(frozen=True)
class Suggestion:
    theme: str | None = None
    channel: str | None = None
    branch: str | None = None
    advisor: str | None = None

    def __bool__(self) -> bool:
        return any(getattr(self, k) for k in SUGGESTION_KEYS)


def suggest(routing: list[dict], answers: dict[int, int]) -> Suggestion:
    """What the answers (question index → choice index) suggest.

    For each of theme, channel, branch and advisor, the first question in the theme's order
    whose chosen answer names one decides: staff put the question that matters most first.
    Unanswered questions and answers out of range (a page older than the questionnaire)
    count for nothing."""
    found: dict[str, str] = {}
    for qi, question in enumerate(routing or []):
        ci = answers.get(qi)
        choices = question.get("choices") or []
        if ci is None or not 0 <= ci < len(choices):
            continue
        for key in SUGGESTION_KEYS:
            value = (choices[ci].get(key) or "").strip()
            if value and key not in found:
                found[key] = value
    return Suggestion(**found)


def parse_answers(value: str | None, routing: list[dict]) -> dict[int, int]:
    """The answers as carried in a URL (`ra=1--0`: one choice index a question, blank when
    unanswered); anything malformed or out of range is dropped."""
    marks = (value or "").split("-")[: len(routing or [])]
    return answers_from(marks, routing)


def answers_from(marks: list[str | None], routing: list[dict]) -> dict[int, int]:
    """Question index → choice index, from one mark a question (a form's values, a URL's);
    a mark that names no choice of its question is dropped."""
    answers = {}
    for qi, mark in enumerate(marks[: len(routing or [])]):
        mark = (mark or "").strip()
        # ASCII digits only: int() would also read "١" or refuse "²" that isdigit() accepts.
        readable = mark.isascii() and mark.isdigit() and len(mark) < 3
        if readable and int(mark) < len(routing[qi].get("choices") or []):
            answers[qi] = int(mark)
    return answers


def carry(theme: Theme, answers: dict[int, int]) -> str:
    """The answers for the URL to the slot choice and the intake: `succession~1--0` (the
    questionnaire's theme first: the suggestion may lead to another theme)."""
    marks = (str(answers[i]) if i in answers else "" for i in range(len(theme.routing or [])))
    return f"{theme.slug}~{'-'.join(marks)}"


def carried_answer_texts(value: str | None) -> dict[str, str]:
    """Question → answer of what `carry` wrote (nothing when it no longer reads)."""
    slug, sep, marks = (value or "").partition("~")
    if not sep or len(value) > 100:
        return {}
    theme = db.session.scalar(select(Theme).where(Theme.slug == slug))
    if theme is None:
        return {}
    return answer_texts(theme.routing or [], parse_answers(marks, theme.routing or []))


def answer_texts(routing: list[dict], answers: dict[int, int]) -> dict[str, str]:
    """Question → chosen answer, in Japanese as staff wrote them (the advisor reads these)."""
    return {
        routing[qi]["q"]: routing[qi]["choices"][ci]["label"] for qi, ci in sorted(answers.items())
    }


@dataclass
class Route:
    """A suggestion made bookable: objects that exist and are active today."""

    theme: Theme
    channel: Channel | None = None
    branch: Unit | None = None
    advisor: Advisor | None = None

    def choose_args(self) -> dict:
        """The slot choice's query, pre-filtered with what was suggested."""
        args = {"theme": self.theme.slug}
        if self.channel is not None:
            args["channel"] = self.channel.slug
            if self.branch is not None:
                args["branch"] = self.branch.slug
            elif self.advisor is not None and self.channel.slug == "branch":
                args["branch"] = self.advisor.branches[0].slug if self.advisor.branches else None
            elif self.channel.slug != "branch":
                args["branch"] = "any"
        if self.advisor is not None:
            args["advisor"] = str(self.advisor.id)
        return {k: v for k, v in args.items() if v}

    def theme_name(self) -> str:
        return localized(self.theme)


def resolve(theme: Theme, suggestion: Suggestion) -> Route:
    """The suggestion's theme, channel, branch and advisor; a name that is unknown, inactive
    or (advisor) not covering the theme and channel is left out rather than refused."""
    route = Route(theme=theme)
    if suggestion.theme:
        other = db.session.scalar(select(Theme).where(Theme.slug == suggestion.theme))
        if other is not None and other.active:
            route.theme = other
    if suggestion.channel:
        channel = db.session.scalar(select(Channel).where(Channel.slug == suggestion.channel))
        route.channel = channel if channel is not None and channel.active else None
    if suggestion.branch:
        route.branch = db.session.scalar(
            select(Unit).where(Unit.kind == "branch", Unit.slug == suggestion.branch)
        )
    if suggestion.advisor:
        advisor = db.session.scalar(
            select(Advisor).join(User).where(User.email == suggestion.advisor.lower())
        )
        if (
            advisor is not None
            and advisor.active
            and route.theme in advisor.themes
            and (route.channel is None or route.channel in advisor.channels)
        ):
            route.advisor = advisor
    return route
