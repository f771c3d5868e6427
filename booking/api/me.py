"""`/me` and the OpenAPI document itself."""

from __future__ import annotations

from flask import current_app, jsonify

from booking.api.auth import api_user, token_required
from booking.api.blueprint import bp
from booking.api.openapi import PATHS, document, error_responses, json_response
from booking.api.serialise import person


@bp.get("/openapi.json")
def openapi():
    return jsonify(document(current_app))


@bp.get("/me")
@token_required
def me():
    return jsonify(person(api_user()))


PATHS.update(
    {
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "security": [],
                "responses": {"200": {"description": "OpenAPI 3.1 document"}},
            }
        },
        "/me": {
            "get": {
                "summary": "The account the token belongs to",
                "responses": {
                    **json_response("200", "the account", "Person"),
                    **error_responses(401),
                },
            }
        },
    }
)
