"""Jinja filters and globals: Japanese dates, money, the chamber's units in the header."""

from __future__ import annotations

import re
from functools import lru_cache

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from markupsafe import Markup, escape

from booking import accommodation
from booking.localnames import bracketed, fee, localized, ward_name
from booking.timefmt import format_day, format_deadline, format_when


def current_locale() -> str:
    return str(get_locale() or "ja")


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


@lru_cache(maxsize=1)
def _phrase_parser():
    import budoux

    return budoux.load_default_japanese_parser()


def phrases(text: str | None) -> Markup:
    """Japanese text with a `<wbr>` between its phrases (BudouX), so a headline styled
    `word-break: keep-all` breaks between phrases, never inside a word. Other text is only
    escaped."""
    text = text or ""
    if not _CJK.search(text):
        return escape(text)
    return Markup("<wbr>").join(escape(p) for p in _phrase_parser().parse(text))


def register(app: Flask) -> None:
    app.add_template_filter(format_when, "when")
    app.add_template_filter(phrases, "phrases")
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_deadline, "deadline")
    # Names of units, themes, channels, zones and frames, and fees, in the reader's language.
    app.add_template_filter(localized, "localized")
    app.add_template_filter(ward_name, "ward")
    app.add_template_filter(fee, "fee")
    app.add_template_filter(bracketed, "bracketed")
    # What a person asked for as reasonable accommodation (合理的配慮), in one line for staff.
    app.add_template_global(accommodation.describe, "accommodation_text")

    @app.context_processor
    def globals_():
        locale = current_locale()
        org = current_app.config["ORGANISATION_NAME"]
        if locale == "en":
            org = current_app.config["ORGANISATION_NAME_EN"]
        path = request.full_path.rstrip("?") if has_request_context() else "/"
        return {
            "locale": locale,
            "org_name": org,
            "base_url": current_app.config["BASE_URL"],
            "current_path": path,
        }
