"""The intake questionnaire before the slot choice: a theme's few routing questions, then
what the answers suggest, with a link to the slot choice pre-filtered by it.

Nothing is written here: the answers travel in the URL (`ra`) to the intake, which keeps
them with the booking so that the advisor reads them before the meeting.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from booking.consultations.catalogue import theme_by_slug
from booking.consultations.routing import answers_from, carry, resolve, suggest
from booking.errors import NotFound

bp = Blueprint("routing", __name__, url_prefix="/consultations/questions")


def _text(item: dict, key: str) -> str:
    english = str(get_locale() or "ja").startswith("en")
    return (english and item.get(f"{key}_en")) or item.get(key, "")


def questionnaire_form(routing: list[dict]) -> FlaskForm:
    """One optional radio group a question (a GET form: nothing is written)."""

    class QuestionsForm(FlaskForm):
        class Meta:
            csrf = False

        theme = HiddenField()

    for qi, question in enumerate(routing):
        choices = [
            SelectChoice(str(ci), _text(choice, "label"))
            for ci, choice in enumerate(question["choices"])
        ]
        setattr(QuestionsForm, f"q{qi}", RadioField(_text(question, "q"), choices=choices,
                                                    validators=[Optional()]))  # fmt: skip
    return QuestionsForm(request.args)


@bp.get("/")
def questions():
    """The questionnaire; once answered (`asked=1`), the suggestion and where to go next."""
    try:
        theme = theme_by_slug(request.args.get("theme"))
    except NotFound:
        abort(404)
    if not theme.active:
        abort(404)
    routing = theme.routing or []
    form = questionnaire_form(routing)
    answers = answers_from([request.args.get(f"q{qi}") for qi in range(len(routing))], routing)
    plain = url_for("consultations.choose", theme=theme.slug)
    if request.args.get("asked") != "1":
        return render_template("consultations/questions.html", theme=theme, form=form,
                               plain=plain)  # fmt: skip
    route = resolve(theme, suggest(routing, answers))
    ra = carry(theme, answers) if answers else None
    return render_template(
        "consultations/questions.html", theme=theme, form=form, plain=plain, route=route,
        answered=bool(answers), next_url=url_for("consultations.choose", ra=ra,
                                                 **route.choose_args()),
    )  # fmt: skip
