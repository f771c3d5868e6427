"""The weekly digest as a job: one unit of work per person, so one failure stops nobody else."""

from __future__ import annotations

import logging
from datetime import datetime

from booking.follows.digest import people_due, send_digest
from booking.timefmt import to_local
from booking.unit_of_work import unit_of_work

# Mondays before this hour (the chamber's time) the digest waits: mail at breakfast, not at 1 am.
SENDS_FROM_HOUR = 8

log = logging.getLogger(__name__)


def run_weekly_digest(now: datetime) -> int:
    """Plan this week's digest of everyone due; returns how many mails were planned.

    Safe to run any number of times, at once or in turn (see booking/follows/digest.py).
    """
    planned = 0
    for user_id in people_due(now):
        try:
            with unit_of_work():
                planned += send_digest(user_id, now)
        except Exception:
            log.exception("weekly digest of user %s failed", user_id)
    return planned


def digest_job(now: datetime) -> int:
    """The scheduler's hourly run: from Monday 08:00 (local), this week's digests go out;
    the first run of the week sends them, later runs find them claimed."""
    local = to_local(now)
    if local.weekday() == 0 and local.hour < SENDS_FROM_HOUR:
        return 0
    return run_weekly_digest(now)
