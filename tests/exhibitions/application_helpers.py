"""Helpers for the application tests: an open window, a filled-in form, a section."""

from __future__ import annotations

from datetime import timedelta

from booking.exhibitions.applications.services import ApplicationInput
from booking.extensions import db
from booking.org.models import Unit
from booking.timefmt import now_utc


def open_window(fair, days: int = 7) -> None:
    fair.exhibition.applications_open_at = now_utc() - timedelta(days=1)
    fair.exhibition.applications_close_at = now_utc() + timedelta(days=days)
    db.session.commit()


def section(slug: str = "industry") -> Unit:
    return db.session.query(Unit).filter_by(kind="section", slug=slug).one()


def form_data(**over) -> dict:
    data = {
        "products": "精密加工部品と試作サービス",
        "categories": [str(section().id)],
        "booth_size_wish": "standard",
        "participation": "both",
        "contact_name": "佐藤 花子",
        "contact_kana": "さとう　ﾊﾅｺ",
        "contact_email": "ＨＡＮＡＫＯ@example.jp",
        "contact_phone": "０３－１１１１－２２２２",
    }
    data.update(over)
    return data


def application_input(**over) -> ApplicationInput:
    values = {
        "products": "試作品", "category_ids": [section().id], "booth_size_wish": "standard",
        "participation": "in_person", "contact_name": "佐藤 花子", "contact_kana": "サトウ ハナコ",
        "contact_email": "hanako@example.jp", "contact_phone": "03-1111-2222",
    }  # fmt: skip
    values.update(over)
    return ApplicationInput(**values)
