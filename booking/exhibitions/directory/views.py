"""Public exhibition pages: published fairs, the exhibitor directory, exhibitor pages, logos,
and visitors' bookmarks."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload

from booking.errors import DomainError
from booking.exhibitions.booths.services import booths_of
from booking.exhibitions.directory.bookmarks import (
    bookmarked_ids,
    is_bookmarked,
    my_bookmarks,
    set_bookmark,
)
from booking.exhibitions.directory.pages import Listing, listing
from booking.exhibitions.directory.search import (
    DirectoryFilters,
    Found,
    categories,
    find_exhibitors,
    page_offset,
    published_exhibitions,
)
from booking.exhibitions.directory.versions import version_of
from booking.exhibitions.lookup import public_exhibition, public_exhibitor
from booking.exhibitions.models import Exhibition, ExhibitorLogo
from booking.extensions import db
from booking.main.forms import safe_next
from booking.timefmt import now_utc

bp = Blueprint("exhibitions", __name__, url_prefix="/exhibitions")


@dataclass(frozen=True)
class PublicBooth:
    """A booth as the public map draws it: its exhibitor only once accepted."""

    id: int
    code: str
    x: int
    y: int
    w: int
    h: int
    zone: object
    exhibitor: object | None

    @property
    def exhibitor_id(self):
        return self.exhibitor.id if self.exhibitor is not None else None


def public_booths(exhibition) -> list[PublicBooth]:
    shown = []
    for b in booths_of(exhibition):
        x = b.exhibitor if b.exhibitor is not None and b.exhibitor.status == "accepted" else None
        shown.append(PublicBooth(b.id, b.code, b.x, b.y, b.w, b.h, b.zone, x))
    return shown


PER_PAGE = 48  # cards a page: a few screens, and a page renders in a few milliseconds
LOGO_MAX_AGE = 3600  # seconds; pages link logos with ?v=<digest>, so a new logo is a new URL


@bp.get("/")
def index():
    return render_template("exhibitions/directory/list.html", exhibitions=published_exhibitions())


@bp.get("/<int:exhibition_id>/")
def directory(exhibition_id: int):
    # The fair, its event and its directory version in one statement, the version first of
    # everything the listing reads (pages.listing).
    row = db.session.execute(
        select(Exhibition, version_of(exhibition_id))
        .where(Exhibition.id == exhibition_id)
        .options(joinedload(Exhibition.event))
    ).first()
    exhibition = public_exhibition(exhibition_id)  # the fair is in the session already
    bookmarked = bookmarked_ids(current_user, exhibition)
    found = listing(
        exhibition.id, row[1] if row else None, not current_user.is_authenticated,
        lambda: _draw_listing(exhibition, bookmarked),
    )  # fmt: skip
    return render_template(
        "exhibitions/directory/index.html", exhibition=exhibition, event=exhibition.event,
        listing=found, bookmarked=bookmarked,
    ), found.status  # fmt: skip


def _draw_listing(exhibition, bookmarked: set[int]) -> Listing:
    filters = DirectoryFilters(
        category=request.args.get("category", ""), zone=request.args.get("zone", ""),
        q=request.args.get("q", ""),
    )  # fmt: skip
    # A page number that is not one (abc, 0, -1, past the end) shows the nearest page there is.
    page = request.args.get("page", 1, type=int)
    errors: dict[str, str] = {}
    try:
        found = find_exhibitors(exhibition, filters, offset=page_offset(page, PER_PAGE),
                                limit=PER_PAGE)  # fmt: skip
    except DomainError as exc:
        errors[exc.field or "q"] = exc.message
        found = Found([], 0, 0, PER_PAGE)
    # The page links keep the filters as typed (empty ones left out of the URL).
    args = {k: v for k, v in vars(filters).items() if v}
    html = render_template(
        "exhibitions/directory/_listing.html", exhibition=exhibition, found=found,
        exhibitors=found.items, filters=filters, args=args, errors=errors,
        categories=categories(), bookmarked=bookmarked,
    )  # fmt: skip
    return Listing(400 if errors else 200, found.number, Markup(html))


@bp.get("/<int:exhibition_id>/map")
def booth_map(exhibition_id: int):
    """The fair's booth map for visitors: zones coloured, each exhibitor's booth a link to
    its page (the staff map, read-only)."""
    exhibition = public_exhibition(exhibition_id)
    return render_template(
        "exhibitions/directory/map.html", exhibition=exhibition, event=exhibition.event,
        booths=public_booths(exhibition),
    )  # fmt: skip


@bp.get("/<int:exhibition_id>/exhibitors/<int:exhibitor_id>")
def exhibitor(exhibition_id: int, exhibitor_id: int):
    exhibition = public_exhibition(exhibition_id)
    found = public_exhibitor(exhibition, exhibitor_id)
    return render_template(
        "exhibitions/directory/exhibitor.html", exhibition=exhibition, event=exhibition.event,
        exhibitor=found, bookmarked=is_bookmarked(current_user, found),
    )  # fmt: skip


def logo_response(logo: ExhibitorLogo | None, *, public: bool = True) -> Response:
    """The stored (re-encoded) logo with headers that keep browsers from reading it as
    anything but an image; 304 when the client has this version."""
    if logo is None:
        abort(404)
    if request.if_none_match.contains(logo.digest):
        response = Response(status=304)
    else:
        response = Response(logo.data, mimetype=logo.content_type)
    response.set_etag(logo.digest)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers["Cache-Control"] = (
        f"public, max-age={LOGO_MAX_AGE}" if public else "private, no-cache"
    )
    return response


@bp.get("/<int:exhibition_id>/exhibitors/<int:exhibitor_id>/logo")
def logo(exhibition_id: int, exhibitor_id: int):
    found = public_exhibitor(public_exhibition(exhibition_id), exhibitor_id)
    # The bytes are read only when the client does not have them already.
    row = db.session.scalar(
        select(ExhibitorLogo)
        .where(ExhibitorLogo.exhibitor_id == found.id)
        .options(defer(ExhibitorLogo.data))
    )
    return logo_response(row)


@bp.post("/<int:exhibition_id>/exhibitors/<int:exhibitor_id>/bookmark")
def bookmark(exhibition_id: int, exhibitor_id: int):
    """Without JavaScript: the form posts the wanted state and comes back to where it was."""
    found = public_exhibitor(public_exhibition(exhibition_id), exhibitor_id)
    back = safe_next(request.form.get("next")) or url_for(
        "exhibitions.exhibitor", exhibition_id=exhibition_id, exhibitor_id=found.id
    )
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=back))
    wanted = request.form.get("wanted")
    on = (not is_bookmarked(current_user, found)) if wanted not in ("0", "1") else wanted == "1"
    set_bookmark(current_user, found, on, now_utc())
    if on:
        flash(_("%(name)s をブックマークしました。", name=found.name), "success")
    else:
        flash(_("%(name)s のブックマークを外しました。", name=found.name), "success")
    return redirect(back)


@bp.get("/<int:exhibition_id>/bookmarks")
@login_required
def bookmarks(exhibition_id: int):
    exhibition = public_exhibition(exhibition_id)
    return render_template(
        "exhibitions/directory/bookmarks.html", exhibition=exhibition, event=exhibition.event,
        exhibitors=my_bookmarks(current_user, exhibition),
    )  # fmt: skip
