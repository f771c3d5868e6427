"""The app's clock: every "now" comes from it, so moving it moves what pages and rules decide."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from booking import create_app
from booking.clock import SYSTEM_CLOCK, current_clock, monotonic
from booking.timefmt import now_utc
from tests.clock import DEFAULT_INSTANT, TravellingClock
from tests.factories import make_event

BOOKING = Path(__file__).resolve().parents[1] / "booking"
# The only module that may ask the machine for the time.
WALL_CLOCK = re.compile(r"datetime\.now\(|datetime\.utcnow\(|date\.today\(|time\.time\(")


def test_no_module_but_the_clock_reads_the_wall_clock():
    offenders = [
        f"{path.relative_to(BOOKING)}:{n}"
        for path in BOOKING.rglob("*.py")
        if path.name != "clock.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WALL_CLOCK.search(line)
    ]
    assert offenders == []


def test_nothing_sleeps_on_the_monotonic_clock():
    """`time.sleep` fails (EINVAL) under the moved-clock passes' libfaketime, and a test that
    sleeps to synchronise is flaky anyway; wait on an event, a lock or a selector instead
    (tests/processes.py waits for child processes so)."""
    tests = Path(__file__).resolve().parent
    offenders = [
        f"{path}:{n}"
        for root in (BOOKING, tests)
        for path in root.rglob("*.py")
        if path.name not in ("test_clock.py", "processes.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\btime\.sleep\(|(communicate|proc\w*\.wait)\(timeout", line)
    ]
    assert offenders == []


def test_no_test_times_what_it_runs():
    """How long something takes is measured in bench/, on a quiet machine, not asserted in a
    test that shares its cores with whatever else runs."""
    tests = Path(__file__).resolve().parent
    offenders = [
        f"{path.relative_to(tests)}:{n}"
        for path in tests.rglob("*.py")
        if path.name != "test_clock.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bperf_counter\(|\bprocess_time\(", line)
    ]
    assert offenders == []


def test_the_tests_start_at_the_default_instant_whatever_the_hour(app):
    assert DEFAULT_INSTANT <= now_utc() < DEFAULT_INSTANT + timedelta(minutes=5)


def test_the_clock_runs_on_and_can_be_frozen_and_moved(app, clock):
    first = now_utc()
    assert now_utc() >= first
    clock.freeze()
    assert now_utc() == now_utc()
    clock.advance(hours=2)
    assert now_utc() - first >= timedelta(hours=2)
    clock.move_to(datetime(2027, 1, 10, 15, 10, tzinfo=UTC), frozen=True)
    assert now_utc() == datetime(2027, 1, 10, 15, 10, tzinfo=UTC)


def test_production_uses_the_system_clock():
    app = create_app({"ENV_NAME": "testing"})
    with app.app_context():
        assert current_clock() is SYSTEM_CLOCK


def test_a_clock_without_now_is_refused_at_start_up():
    with pytest.raises(RuntimeError, match="CLOCK"):
        create_app({"ENV_NAME": "testing", "CLOCK": object()})


def test_an_app_built_on_another_clock_answers_from_it():
    clock = TravellingClock(datetime(2026, 12, 30, 14, 50, tzinfo=UTC))
    app = create_app({"ENV_NAME": "testing", "CLOCK": clock})
    with app.app_context():
        assert now_utc().date().isoformat() == "2026-12-30"


def test_the_event_page_closes_registration_when_the_clock_passes_the_start(app, client, clock):
    event = make_event(days=1)
    assert "受付中" in client.get(f"/events/{event.id}").get_data(as_text=True)
    clock.advance(days=1, hours=1)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "受付中" not in page


def test_time_let_pass_goes_on_the_monotonic_seconds_and_a_jump_back_does_not(app, clock):
    first = monotonic()
    clock.advance(minutes=4)
    assert monotonic() - first >= 240
    clock.reset()  # the instant goes back; durations never do
    assert monotonic() - first >= 240
