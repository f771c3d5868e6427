"""The free slots as computed before the worker's cache: straight from the database, for
exactly the window asked, every advisor in one computation (no whole days, no cache, no merge
of advisors' entries). Tests compare `free_slots` with it."""

from __future__ import annotations

from booking.consultations import slots as engine
from booking.consultations.covering import advisors_covering
from booking.timefmt import as_utc, local_zone


def reference(theme, start, end, now, *, branch_id=None, channel_slug=None, advisor_id=None,
              ignore_window=False, ignore_bookings=False, exclude_consultation_id=None,
              as_offered=True):  # fmt: skip
    if as_offered and not theme.active:
        return []
    start, end = as_utc(start), as_utc(end)
    if not ignore_window:
        earliest, latest = engine.booking_window(theme, now)
        start, end = max(start, earliest), min(end, latest)
    if end <= start:
        return []
    ids = [a.id for a in advisors_covering(theme, advisor_id, branch_id, channel_slug)]
    if not ids:
        return []
    zone = local_zone()
    first_day, last_day = start.astimezone(zone).date(), end.astimezone(zone).date()
    each = engine._compute(theme, ids, branch_id, channel_slug, ignore_bookings,
                           exclude_consultation_id, as_offered, first_day, last_day,
                           start, end)  # fmt: skip
    # The order as the engine once made it: one sort of every slot by time, advisor, channel,
    # branch and consultation day (not the engine's merge of advisors' lists).
    slots = [slot for theirs in each.values() for slot in theirs]
    return sorted(slots, key=lambda s: (s.start, s.advisor_id, s.channel, s.branch or "",
                                        s.consultation_day_id or 0))  # fmt: skip
