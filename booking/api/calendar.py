"""`/me/calendar`: the person's private feed URL (issued on first request)."""

from __future__ import annotations

from flask import jsonify

from booking.api.auth import api_user, token_required
from booking.api.blueprint import bp
from booking.api.openapi import PATHS, SCHEMAS, error_responses, json_response
from booking.calendars.feed_tokens import (
    ensure_feed_token,
    feed_links,
    feed_purposes,
    regenerate_feed_token,
)
from booking.timefmt import now_utc


def _links(user, token: str) -> dict:
    body = feed_links(token)
    if "advisor" in feed_purposes(user):
        advisor = feed_links(ensure_feed_token(user, now_utc(), "advisor"))
        body["advisor_url"], body["advisor_webcal_url"] = advisor["url"], advisor["webcal_url"]
    return body


@bp.get("/me/calendar")
@token_required
def my_calendar():
    user = api_user()
    # The first request issues the token (the unit of work commits it); later ones change
    # nothing.
    body = _links(user, ensure_feed_token(user, now_utc()))
    return jsonify(body)


@bp.post("/me/calendar/regenerate")
@token_required
def regenerate_my_calendar():
    user = api_user()
    body = _links(user, regenerate_feed_token(user, now_utc()))
    return jsonify(body)


SCHEMAS["CalendarFeed"] = {
    "type": "object",
    "properties": {
        "url": {"type": "string", "format": "uri"},
        "webcal_url": {"type": "string"},
        "google_url": {"type": "string", "format": "uri"},
        "advisor_url": {"type": "string", "format": "uri", "description": "advisors only"},
        "advisor_webcal_url": {"type": "string", "description": "advisors only"},
    },
    "required": ["url", "webcal_url"],
}

PATHS.update(
    {
        "/me/calendar": {
            "get": {
                "summary": "The URLs of the person's private calendar feed (issued on first call)",
                "responses": {
                    **json_response("200", "feed URLs", "CalendarFeed"),
                    **error_responses(401),
                },
            }
        },
        "/me/calendar/regenerate": {
            "post": {
                "summary": "Replace the private feed URL; the old one answers 404 at once",
                "responses": {
                    **json_response("200", "the new feed URLs", "CalendarFeed"),
                    **error_responses(401),
                },
            }
        },
    }
)
