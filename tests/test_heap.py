"""The production entry point freezes the app's long-lived objects (booking/heap.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.processes import communicate_within

ROOT = Path(__file__).resolve().parent.parent


def test_the_wsgi_entry_leaves_the_built_app_out_of_the_collector():
    script = (
        "import gc; assert gc.get_freeze_count() == 0; import wsgi; "
        "print(gc.get_freeze_count(), len(gc.get_objects()))"
    )
    env = {**os.environ, "TSUNAGU_ENV": "testing", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    out, _ = communicate_within(proc, 60)
    assert proc.returncode == 0
    frozen, tracked = map(int, out.split())
    # The routes, mappers and libraries are frozen; what the collector still walks is a
    # small remainder made after the freeze.
    assert frozen > 50_000
    assert tracked < frozen / 10
