#!/usr/bin/env bash
# The SQLite suite with the whole process tree's clock moved (libfaketime) to instants that have
# caught booking systems before. The suite runs on its own clock, so none of these may matter;
# this proves that no code path and no test reads the machine's clock instead.
# Usage: ci/moved-clock.sh [pytest args…]   (default: the suite without the browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."
instants=(
  "2026-11-12 01:30:00"  # 10:30 JST on a Thursday: a fair's first day, doors open since 10:00
  "2026-12-30 14:50:00"  # 23:50 JST on 30 December: year-end closure, a new day in Tokyo only
  "2027-01-10 15:10:00"  # 00:10 JST on Monday 11 January 2027, 成人の日 (a public holiday)
)
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(-m "not browser")
# Monotonic time stays real: APScheduler and the test clock's ticking wait on it.
export FAKETIME_DONT_FAKE_MONOTONIC=1 TZ=UTC
failed=0
# The year-end instant runs the whole selection; the other two the tests of rules that read
# the hour, the day or the date (bookings, windows, reminders, doors, feeds, My Page), which
# keeps CI well under its time budget.
timed=(tests/events tests/consultations tests/exhibitions/entrance tests/exhibitions/meetings
       tests/notifications tests/calendars tests/mypage tests/staff tests/test_clock.py
       tests/test_timefmt.py tests/test_api.py)
for instant in "${instants[@]}"; do
  printf '\n--- the clock at %s UTC\n' "$instant"
  faketime "$instant" date -u '+process clock: %Y-%m-%d %H:%M:%S UTC (%a)'
  if [[ "$instant" == 2026-12-30* ]]; then
    faketime "$instant" .venv/bin/python -m pytest -p no:cacheprovider -q -x "${args[@]}" || failed=1
  else
    faketime "$instant" .venv/bin/python -m pytest -p no:cacheprovider -q -x "${args[@]}" "${timed[@]}" \
      || failed=1
  fi
done
exit $failed
