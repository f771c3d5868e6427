"""JSON shapes of events and registrations (the API contract), shared by API and pages."""

from __future__ import annotations

from datetime import datetime

from booking.events.models import Event, Frame, Registration
from booking.events.policy import has_pass, join_url
from booking.events.queue import waitlist_position
from booking.events.registrations import frame_state
from booking.timefmt import iso


def frame_json(frame: Frame, now: datetime, staff: bool = False) -> dict:
    data = {
        "id": frame.id,
        "name": frame.name,
        "mode": frame.mode,
        "audience": frame.audience,
        "capacity": frame.capacity,
        "remaining": frame.remaining,
        "price_label": frame.price_label,
        "per_company_limit": frame.per_company_limit,
        "lottery": frame.lottery,
        "waitlist": frame.waitlist,
        "opens_at": iso(frame.opens_at),
        "closes_at": iso(frame.closes_at),
        "state": frame_state(frame, now),
        "position": frame.position,
        "closed": frame.closed_at is not None,
    }
    if staff:
        data["taken"] = frame.taken
        data["lottery_seed"] = frame.lottery_seed
        data["lottery_drawn_at"] = iso(frame.lottery_drawn_at)
    return data


def event_json(event: Event, now: datetime, staff: bool = False, entitled: bool = False) -> dict:
    """`entitled`: the viewer may see the join URL (`policy.may_join` of their registration)."""
    return {
        "id": event.id,
        "title": event.title,
        "kind": event.kind,
        "format": event.format,
        "unit": event.unit.key,
        "unit_name": event.unit.name,
        "status": event.status,
        "member_only": event.member_only,
        "starts_at": iso(event.starts_at),
        "ends_at": iso(event.ends_at),
        "cancel_until": iso(event.cancel_until),
        "summary": event.summary,
        "description": event.description,
        "speakers": event.speakers,
        "payment_note": event.payment_note,
        "venue": {
            "name": event.venue_name,
            "address": event.venue_address,
            "access": event.venue_access,
        },
        "online_url": event.online_url if (staff or entitled) else None,
        "attestation": event.attestation,
        "per_company_limit": event.per_company_limit,
        "frames": [frame_json(f, now, staff) for f in event.frames],
        "sessions": [
            {"title": s.title, "starts_at": iso(s.starts_at), "ends_at": iso(s.ends_at)}
            for s in event.sessions
        ],
        "questions": [
            {
                "id": q.id,
                "key": q.key,
                "label": q.label,
                "kind": q.kind,
                "choices": q.choices,
                "required": q.required,
            }
            for q in event.questions
        ],
        "tags": [t.key for t in event.tags],
        "sequence": event.sequence,
        "version": event.version,
        "updated_at": iso(event.updated_at),
    }


def registration_json(reg: Registration, position: int | None = None) -> dict:
    """`position`: the waitlist position already counted (a registration just written says
    it in its mail): not counted again."""
    event = reg.event
    data = {
        "id": reg.id,
        "reference": reg.reference,
        "status": reg.status,
        "position": position if position is not None else waitlist_position(reg),
        "event": {
            "id": event.id,
            "title": event.title,
            "status": event.status,
            "starts_at": iso(event.starts_at),
            "ends_at": iso(event.ends_at),
        },
        "frame": {"id": reg.frame.id, "name": reg.frame.name, "mode": reg.frame.mode},
        "answers": reg.answers,
        "checked_in_at": iso(reg.checked_in_at),
        "created_at": iso(reg.created_at),
        "cancelled_at": iso(reg.cancelled_at),
        "sequence": reg.sequence,
        "updated_at": iso(reg.updated_at),
    }
    if has_pass(reg):  # the door's QR pass: none for an online seat (the same rule as the mail)
        data["pass_token"] = reg.pass_token
    if url := join_url(reg):
        data["online_url"] = url
    return data


def waiting_json(reg: Registration, position: int) -> dict:
    """One person on a waitlist, for staff systems: their place in the order seats are given."""
    company = reg.company
    return {
        "id": reg.id,
        "reference": reg.reference,
        "frame": reg.frame_id,
        "position": position,
        "name": reg.user.full_name,
        "kana": reg.user.full_kana,
        "company": company.name if company else None,
        "created_at": iso(reg.created_at),
    }
