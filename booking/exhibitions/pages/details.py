"""An accepted exhibitor's public page: names, PR text, products, categories and links.

Text is stored exactly as typed (templates escape it when shown); links are checked here,
because a page link is clicked by visitors who trust the chamber's site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from booking.errors import Invalid
from booking.exhibitions.models import Exhibitor
from booking.extensions import db
from booking.org.models import Unit

MAX_CATEGORIES = 5


@dataclass
class PageDetails:
    display_name: str = ""
    display_kana: str = ""
    pr_text: str = ""
    products: str = ""
    categories: list[str] = field(default_factory=list)  # section slugs
    website: str = ""
    online_meetings: bool = False
    online_meeting_url: str = ""


def page_details(exhibitor: Exhibitor) -> PageDetails:
    """The page as it is now (what the edit form starts from)."""
    return PageDetails(
        display_name=exhibitor.display_name or exhibitor.company.name,
        display_kana=exhibitor.display_kana or exhibitor.company.name_kana,
        pr_text=exhibitor.pr_text, products=exhibitor.products,
        categories=[u.slug for u in exhibitor.categories], website=exhibitor.website,
        online_meetings=exhibitor.online_meetings,
        online_meeting_url=exhibitor.online_meeting_url,
    )  # fmt: skip


def web_link(value: str, *, schemes: tuple[str, ...], field_name: str) -> str:
    """A link with a host and one of `schemes` (no javascript:, data:, …). :raises Invalid:"""
    value = value.strip()
    if not value:
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in schemes or not parts.hostname:
        if schemes == ("https",):
            message = _l("https:// で始まるURLを入力してください。")
        else:
            message = _l("http:// または https:// で始まるURLを入力してください。")
        raise Invalid(message, field=field_name)
    if any(ch.isspace() for ch in value):
        raise Invalid(_l("URLに空白を含めることはできません。"), field=field_name)
    return value


def section_units(slugs: list[str]) -> list[Unit]:
    """The chamber's sections named by `slugs`, in their usual order. :raises Invalid:"""
    wanted = list(dict.fromkeys(s for s in slugs if s))
    if len(wanted) > MAX_CATEGORIES:
        raise Invalid(_l("分野は%(n)sつまで選べます。", n=MAX_CATEGORIES), field="categories")
    if not wanted:
        return []
    units = list(
        db.session.scalars(
            select(Unit)
            .where(Unit.kind == "section", Unit.slug.in_(wanted))
            .order_by(Unit.position)
        )
    )
    if len(units) != len(wanted):
        raise Invalid(_l("選べない分野が含まれています。"), field="categories")
    return units


def update_page(exhibitor: Exhibitor, details: PageDetails, now: datetime) -> Exhibitor:
    """Save the page of an accepted exhibitor. :raises Invalid: (with the field to blame)."""
    if exhibitor.status != "accepted":
        raise Invalid(_l("出展が決定した後にページを編集できます。"))
    name = details.display_name.strip()
    if not name:
        raise Invalid(_l("出展者名を入力してください。"), field="display_name")
    website = web_link(details.website, schemes=("http", "https"), field_name="website")
    meeting_url = web_link(
        details.online_meeting_url, schemes=("https",), field_name="online_meeting_url"
    )
    if details.online_meetings and not meeting_url:
        raise Invalid(
            _l("オンライン商談を受け付ける場合は、商談用のURLを入力してください。"),
            field="online_meeting_url",
        )
    exhibitor.categories = section_units(details.categories)
    exhibitor.display_name = name
    exhibitor.display_kana = details.display_kana.strip()
    exhibitor.pr_text = details.pr_text.strip()
    exhibitor.products = details.products.strip()
    exhibitor.website = website
    exhibitor.online_meetings = details.online_meetings
    exhibitor.online_meeting_url = meeting_url
    exhibitor.updated_at = now
    db.session.flush()
    return exhibitor
