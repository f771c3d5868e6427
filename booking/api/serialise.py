"""JSON shapes of the API: ids are plain values, times ISO 8601 with offset."""

from __future__ import annotations

from booking.accounts.models import User
from booking.timefmt import iso  # noqa: F401 - the API modules take it from here


def person(user: User) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "role": user.role,
        "family_name": user.family_name,
        "given_name": user.given_name,
        "family_kana": user.family_kana,
        "given_kana": user.given_kana,
        "locale": user.locale,
        "unit": user.unit.key if user.unit else None,
        "company": (
            {"id": user.company.id, "name": user.company.name, "member_no": user.company.member_no}
            if user.company
            else None
        ),
    }
