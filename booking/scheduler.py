"""APScheduler set-up: the dispatcher on an interval, in the web process or in the foreground,
and the periodic jobs domains register in their `init_app` (`register_job`).

All state lives in the database rows (outbox, each job's own claims), not in the scheduler,
so a restart loses nothing and any number of schedulers may run against one database.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

from booking.extensions import db
from booking.notifications.dispatcher import dispatch_due
from booking.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

JOBS = "booking.scheduler.jobs"


def register_job(app: Flask, job_id: str, func: Callable[[datetime], object], **trigger) -> None:
    """A periodic job besides the dispatcher, registered by a domain's `init_app`.

    `func(now)` runs in an app context and owns its units of work; `trigger` is an APScheduler
    trigger (`trigger="interval", hours=1`). Jobs must be safe to run from several
    schedulers at once: they claim their work in the database.
    """
    app.extensions.setdefault(JOBS, {})[job_id] = (func, trigger)


def registered_jobs(app: Flask) -> dict:
    return dict(app.extensions.get(JOBS, {}))


def run_job(app: Flask, func: Callable[[datetime], object]) -> object:
    """One run of a registered job; a failure is logged and the next run tries again."""
    with app.app_context():
        try:
            return func(_now())
        except Exception:
            log.exception("scheduled job %s failed", getattr(func, "__name__", func))
            return None
        finally:
            db.session.remove()


def _add_registered_jobs(scheduler: BackgroundScheduler, app: Flask) -> None:
    for job_id, (func, trigger) in registered_jobs(app).items():
        scheduler.add_job(run_job, args=[app, func], id=job_id, max_instances=1, coalesce=True,
                          **trigger)  # fmt: skip


def dispatch_job(app: Flask, stop: threading.Event | None = None) -> int:
    """One dispatch pass as a job; a failed pass is logged and the next one tries again.

    The dispatcher commits its own steps (lease, mark; see notifications/dispatcher.py); the
    job's unit of work only ends what a failure left open.
    """
    with app.app_context():
        try:
            with unit_of_work():
                return dispatch_due(stop=stop)
        except Exception:
            log.exception("dispatch pass failed")
            return 0
        finally:
            db.session.remove()


def serving() -> bool:
    """True unless the app was built for a `flask` command other than `run` (`db upgrade`,
    `demo load`, …): those finish in seconds and must not start a background dispatcher."""
    import click

    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if ctx.command is not None and ctx.command.name == "run":
            return True
        ctx = ctx.parent
    return click.get_current_context(silent=True) is None


def start_background_scheduler(app: Flask) -> BackgroundScheduler:
    """Development only: production runs `flask scheduler run` processes instead."""
    scheduler = BackgroundScheduler(timezone="UTC", daemon=True)
    scheduler.add_job(
        dispatch_job,
        "interval",
        seconds=app.config["DISPATCH_INTERVAL"],
        args=[app],
        id="dispatch",
        max_instances=1,
        coalesce=True,
    )
    _add_registered_jobs(scheduler, app)
    scheduler.start()
    app.extensions["scheduler"] = scheduler
    return scheduler


def run_foreground(app: Flask) -> None:
    """Run passes until SIGTERM/SIGINT; a stop waits for the message in hand to finish."""
    stop = threading.Event()

    def _stop(_signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    interval = app.config["DISPATCH_INTERVAL"]
    scheduler = BackgroundScheduler(timezone="UTC")
    # Overdue messages found at start-up go out at once, then on the interval.
    scheduler.add_job(
        dispatch_job, "interval", seconds=interval, args=[app, stop], id="dispatch",
        max_instances=1, coalesce=True, next_run_time=_now(),
    )  # fmt: skip
    _add_registered_jobs(scheduler, app)
    scheduler.start()
    log.info("scheduler running; dispatch every %ss", interval)
    while not stop.wait(1):  # a timeout keeps the main thread responsive to signals
        pass
    log.info("stopping: finishing the message in hand")
    scheduler.shutdown(wait=True)


def _now():
    from booking.timefmt import now_utc

    return now_utc()
