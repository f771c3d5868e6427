"""Jinja filters and globals: Japanese dates, money, the chamber's units in the header."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale

from booking.localnames import bracketed, fee, localized
from booking.timefmt import format_day, format_deadline, format_when, offset_words


def current_locale() -> str:
    return str(get_locale() or "ja")


def register(app: Flask) -> None:
    app.add_template_filter(format_when, "when")
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_deadline, "deadline")
    app.add_template_filter(offset_words, "offset_words")
    # Names of units, themes, channels, zones and frames, and fees, in the reader's language.
    app.add_template_filter(localized, "localized")
    app.add_template_filter(fee, "fee")
    app.add_template_filter(bracketed, "bracketed")

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
