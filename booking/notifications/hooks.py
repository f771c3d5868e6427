"""What other domains tell the dispatcher, registered at import of their services.

- An *about check* says whether what a message is about still holds when it is due
  (the booking is still active, the event not cancelled, its version unchanged). A message
  whose check fails is dropped as `cancelled` instead of being sent.
- An *invitation builder* turns the thing a message is about into iCalendar text
  (`METHOD:REQUEST` or `METHOD:CANCEL`) at send time, so the attachment is never stale.

Keys are the part of `about` before the colon: `registration:42` → `registration`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import datetime

# (ref_id, planned_version, now) -> still holds?
AboutCheck = Callable[[int, int | None, datetime], bool]
# (ref_id, method) -> iCalendar text, or None when there is nothing to attach. A builder
# that also takes a `recipient` keyword is given the message's recipient (the ATTENDEE).
InvitationBuilder = Callable[..., str | None]

about_checks: dict[str, AboutCheck] = {}
invitation_builders: dict[str, InvitationBuilder] = {}


def register_about_check(kind: str, check: AboutCheck) -> None:
    about_checks[kind] = check


def register_invitation_builder(kind: str, builder: InvitationBuilder) -> None:
    invitation_builders[kind] = builder


def split_about(about: str) -> tuple[str, int | None]:
    kind, _, ref = (about or "").partition(":")
    return kind, int(ref) if ref.isdigit() else None


def still_holds(about: str, version: int | None, now: datetime) -> bool:
    kind, ref = split_about(about)
    check = about_checks.get(kind)
    return True if check is None or ref is None else check(ref, version, now)


def build_invitation(about: str, method: str, recipient: str | None = None) -> str | None:
    kind, ref = split_about(about)
    builder = invitation_builders.get(kind)
    if builder is None or ref is None:
        return None
    if recipient is not None and "recipient" in inspect.signature(builder).parameters:
        return builder(ref, method, recipient=recipient)
    return builder(ref, method)
