"""Domain errors. Views map them to field messages, flashes or JSON `{"error": …}` answers."""

from __future__ import annotations


class DomainError(Exception):
    """A rule said no. `code` is stable (API clients read it); `message` is for people."""

    code = "invalid"
    status = 400

    def __init__(self, message: str = "", *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    @property
    def not_the_input(self) -> bool:
        """Refused by the state of things or a rule (full, busy, closed, not for this person,
        too many attempts: 403, 409, 429), not for a mistake in what was typed. A form's
        summary says so."""
        return self.status in (403, 409, 429)


class TooManyAttempts(DomainError):
    """A limit on attempts (sign-in failures) holds for a while: nothing typed is wrong."""

    code, status = "too_many_requests", 429


class Invalid(DomainError):
    code, status = "invalid", 422


class NotFound(DomainError):
    code, status = "not_found", 404


class NotAllowed(DomainError):
    code, status = "forbidden", 403


class Conflict(DomainError):
    code, status = "conflict", 409


class AlreadyRegistered(Conflict):
    code = "already_registered"


class Full(Conflict):
    code = "full"


class SlotTaken(Conflict):
    code = "slot_taken"


class Busy(Conflict):
    """Every run of a unit of work lost a race (`unit_of_work.RunAgain`): nothing was kept, and
    the person may simply try again. A 409, as the API's errors are 4xx (its contract)."""

    code = "busy"
