"""Events as calendar items: one mapping for public feeds, downloads and booking sources."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from booking.calendars.items import CalendarItem
from booking.events.models import Event


def event_page_url(event_id: int) -> str:
    return f"{current_app.config['BASE_URL']}/events/{event_id}"


def kind_label(kind: str) -> str:
    return EventLabels.current().kinds.get(kind, kind)


@dataclass(frozen=True)
class EventLabels:
    """The words an event item needs, translated once per feed rather than once per event."""

    kinds: dict[str, str]
    online: str
    called_off: str

    @classmethod
    def current(cls) -> EventLabels:
        """In the active locale (use `force_locale` around it for another)."""
        return cls(
            kinds={
                "seminar": _("セミナー・講演会"),
                "exchange": _("交流会・商談会"),
                "exhibition": _("展示会"),
                "other": _("その他"),
            },
            online=_("オンライン"),
            called_off=_("中止"),
        )


def event_location(event: Event, labels: EventLabels | None = None) -> str:
    """Venue name and address; online events say so (their join URL never goes here)."""
    online = (labels or EventLabels.current()).online
    venue = "、".join(p for p in (event.venue_name, event.venue_address) if p)
    if event.format == "online" or not venue:
        return online if event.format in ("online", "hybrid") else venue
    return f"{venue} / {online}" if event.format == "hybrid" else venue


def event_item(
    event: Event, *, join_url: bool = False, kind: str = "event",
    labels: EventLabels | None = None,
) -> CalendarItem:  # fmt: skip
    """An event as a calendar item; `join_url` only for people entitled to join.

    Labels are in the active locale (call it inside `force_locale`, or pass `labels`).
    A registration source can reuse it with `kind="registration"` and its own id/status.
    """
    labels = labels or EventLabels.current()
    description = "\n\n".join(
        p.strip() for p in (event.summary, event.description, event.speakers) if p and p.strip()
    )
    return CalendarItem(
        kind=kind,
        id=event.id,
        summary=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        updated_at=event.updated_at,
        created_at=event.created_at,
        sequence=event.sequence,
        status="CANCELLED" if event.status == "cancelled" else "CONFIRMED",
        label=labels.called_off if event.status == "cancelled" else "",
        description=description,
        location=event_location(event, labels),
        url=event_page_url(event.id),
        join_url=(event.online_url or None) if join_url else None,
        categories=tuple(
            c for c in (labels.kinds.get(event.kind, event.kind), event.unit.name) if c
        ),
    )
