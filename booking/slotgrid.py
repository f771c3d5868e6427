"""The arithmetic of slots, shared by consultations and exhibition meetings (商談).

Times are whole minutes since the epoch (ints are far cheaper to add, compare, hash and sort
than aware datetimes). An open interval [lo, hi) yields slots of `length` minutes, one after
another with `buffer` minutes between them; a slot is free when it touches no busy interval
(bookings already widened by the buffer).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_minutes(value: datetime) -> int:
    return int((value - EPOCH).total_seconds()) // 60


def from_minutes(value: int) -> datetime:
    return EPOCH + timedelta(minutes=value)


def slot_starts(lo: int, hi: int, length: int, buffer: int, start: int, end: int) -> range:
    """Starts of the slots of [lo, hi) that begin in [start, end): the grid is anchored at
    `lo`, so a later `start` skips to the next grid point, never shifts the grid."""
    step = length + buffer
    return range(max(lo, lo + -(-(start - lo) // step) * step), min(hi - length, end - 1) + 1, step)


def outside(starts, busy: list[tuple[int, int]], length: int) -> list[int]:
    """The starts whose slot touches none of `busy` (both ascending: one merge walk)."""
    out, j, n = [], 0, len(busy)
    for t in starts:
        while j < n and busy[j][1] <= t:
            j += 1
        if j < n and busy[j][0] < t + length:
            continue
        out.append(t)
    return out


def subtract(lo: int, hi: int, holes) -> list[tuple[int, int]]:
    """[lo, hi) minus every (h_lo, h_hi) hole, as the pieces left."""
    pieces = [(lo, hi)]
    for h_lo, h_hi in holes:
        nxt = []
        for p_lo, p_hi in pieces:
            if h_hi <= p_lo or h_lo >= p_hi:
                nxt.append((p_lo, p_hi))
                continue
            if p_lo < h_lo:
                nxt.append((p_lo, h_lo))
            if h_hi < p_hi:
                nxt.append((h_hi, p_hi))
        pieces = nxt
    return pieces
