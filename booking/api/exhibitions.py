"""`/exhibitions/...`: published exhibitions and their exhibitor directory (read only).

The same service as the directory page answers (`exhibitions.directory`), so filters mean the
same here and there. Contact details and the online meeting URL are never part of it.
"""

from __future__ import annotations

from flask import current_app, jsonify, request, url_for
from flask_babel import lazy_gettext as _l

from booking.api.blueprint import bp
from booking.api.openapi import LINKS, PATHS, SCHEMAS, error_responses, json_response, link, links
from booking.errors import Invalid
from booking.exhibitions.directory.cards import Card
from booking.exhibitions.directory.search import (
    DirectoryFilters,
    find_exhibitors,
    published_exhibitions,
    zones_of,
)
from booking.exhibitions.lookup import public_exhibition, public_exhibitor
from booking.exhibitions.models import Exhibition, Exhibitor
from booking.storable import db_int

PAGE = 100


def _absolute(endpoint: str, **values) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def exhibition_json(exhibition: Exhibition) -> dict:
    event = exhibition.event
    return {
        "id": exhibition.id,
        "event_id": event.id,
        "title": event.title,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "venue_name": event.venue_name or "",
        "zones": [{"code": z.code, "name": z.name} for z in exhibition.zones],
        "directory_url": _absolute("exhibitions.directory", exhibition_id=exhibition.id),
    }


def exhibitor_json(exhibitor: Exhibitor | Card) -> dict:
    ids = {"exhibition_id": exhibitor.exhibition_id, "exhibitor_id": exhibitor.id}
    logo = exhibitor.logo
    return {
        "id": exhibitor.id,
        "exhibition_id": exhibitor.exhibition_id,
        "name": exhibitor.name,
        "kana": exhibitor.kana,
        "booths": [{"code": b.code, "zone": b.zone.code} for b in exhibitor.booths],
        "zones": [z.code for z in zones_of(exhibitor)],
        "categories": [{"slug": u.slug, "name": u.name} for u in exhibitor.categories],
        "participation": exhibitor.participation,
        "online_meetings": exhibitor.online_meetings,
        "pr_text": exhibitor.pr_text,
        "products": exhibitor.products,
        "website": exhibitor.website or None,
        "logo_url": _absolute("exhibitions.logo", **ids, v=logo.digest[:12]) if logo else None,
        "page_url": _absolute("exhibitions.exhibitor", **ids),
    }


@bp.get("/exhibitions")
def list_exhibitions():
    return jsonify({"items": [exhibition_json(x) for x in published_exhibitions()]})


@bp.get("/exhibitions/<int:exhibition_id>/exhibitors")
def list_exhibitors(exhibition_id: int):
    exhibition = public_exhibition(exhibition_id)
    try:
        offset = max(db_int(request.args.get("offset", 0)), 0)
    except ValueError:
        raise Invalid(_l("offset は整数です。")) from None
    filters = DirectoryFilters(
        category=request.args.get("category", ""), zone=request.args.get("zone", ""),
        q=request.args.get("q", ""),
    )  # fmt: skip
    found = find_exhibitors(exhibition, filters, offset=offset, limit=PAGE, texts=True)
    body = {"items": [exhibitor_json(x) for x in found.items]}
    if found.total > offset + PAGE:
        args = request.args.to_dict() | {"offset": str(offset + PAGE)}
        body["next"] = _absolute("api.list_exhibitors", exhibition_id=exhibition.id, **args)
    return jsonify(body)


@bp.get("/exhibitions/<int:exhibition_id>/exhibitors/<int:exhibitor_id>")
def get_exhibitor(exhibition_id: int, exhibitor_id: int):
    exhibitor = public_exhibitor(public_exhibition(exhibition_id), exhibitor_id)
    return jsonify(exhibitor_json(exhibitor))


# ---- OpenAPI

SCHEMAS.update(
    {
        "Exhibition": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "event_id": {"type": "integer", "description": "the visitor registration event"},
                "title": {"type": "string"},
                "starts_at": {"type": "string", "format": "date-time"},
                "ends_at": {"type": "string", "format": "date-time"},
                "venue_name": {"type": "string"},
                "zones": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
                    },
                },
                "directory_url": {"type": "string", "format": "uri"},
            },
            "required": ["id", "event_id", "title", "starts_at", "ends_at", "zones"],
        },
        "Exhibitor": {
            "type": "object",
            "description": "An accepted exhibitor's public page (no contact details).",
            "properties": {
                "id": {"type": "integer"},
                "exhibition_id": {"type": "integer"},
                "name": {"type": "string"},
                "kana": {"type": "string", "description": "furigana (katakana)"},
                "booths": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"code": {"type": "string"}, "zone": {"type": "string"}},
                    },
                },
                "zones": {"type": "array", "items": {"type": "string"}},
                "categories": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
                    },
                },
                "participation": {"type": "string", "enum": ["in_person", "online", "both"]},
                "online_meetings": {"type": "boolean"},
                "pr_text": {"type": "string", "description": "plain text, not HTML"},
                "products": {"type": "string", "description": "plain text, not HTML"},
                "website": {"type": ["string", "null"], "format": "uri"},
                "logo_url": {"type": ["string", "null"], "format": "uri"},
                "page_url": {"type": "string", "format": "uri"},
            },
            "required": ["id", "exhibition_id", "name", "booths", "categories", "online_meetings"],
        },
    }
)


def _items(schema: str) -> dict:
    ref = {"$ref": f"#/components/schemas/{schema}"}
    return {
        "type": "object",
        "properties": {"items": {"type": "array", "items": ref}, "next": {"type": "string"}},
    }


_exhibition = {
    "name": "exhibition_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
}
_exhibitor = {"name": "exhibitor_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_query = [
    {"name": "category", "in": "query", "schema": {"type": "string"},
     "description": "a section's slug, e.g. ict; unknown → 400"},
    {"name": "zone", "in": "query", "schema": {"type": "string"},
     "description": "a zone code of this exhibition, e.g. A; unknown → 400"},
    {"name": "q", "in": "query", "schema": {"type": "string"},
     "description": "words matched in name, furigana, PR text and products (full-width, "
     "half-width, hiragana and katakana alike)"},
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
]  # fmt: skip
PATHS.update(
    {
        "/exhibitions": {
            "get": {
                "summary": "Published exhibitions",
                "security": [{}, {"bearer": []}],
                "responses": {**json_response("200", "exhibitions", _items("Exhibition"))},
            }
        },
        "/exhibitions/{exhibition_id}/exhibitors": {
            "get": {
                "summary": "The exhibitor directory: accepted exhibitors in furigana order, "
                f"{PAGE} a page",
                "security": [{}, {"bearer": []}],
                "parameters": [_exhibition, *_query],
                "responses": {
                    **json_response("200", "exhibitors", _items("Exhibitor")),
                    **error_responses(400, 404, 422),
                },
            }
        },
        "/exhibitions/{exhibition_id}/exhibitors/{exhibitor_id}": {
            "get": {
                "summary": "One exhibitor's public page",
                "security": [{}, {"bearer": []}],
                "parameters": [_exhibition, _exhibitor],
                "responses": {
                    **json_response("200", "the exhibitor", "Exhibitor"),
                    **error_responses(404),
                },
            }
        },
    }
)

_first = "$response.body#/items/0"
_exhibitor_ids = {"exhibition_id": f"{_first}/exhibition_id", "exhibitor_id": f"{_first}/id"}
LINKS.update(
    {
        ("/exhibitions", "get", "200"): links(
            link("list_exhibitors", exhibition_id=f"{_first}/id"),
            link("post_entry", exhibition_id=f"{_first}/id"),
        ),
        ("/exhibitions/{exhibition_id}/exhibitors", "get", "200"): links(
            link("get_exhibitor", **_exhibitor_ids),
            link("meeting_slots", **_exhibitor_ids),
        ),
    }
)
