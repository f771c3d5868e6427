"""`flask follows digest`: plan this week's digests now (cron, or an operator's test run)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from booking.timefmt import now_utc

follows_cli = AppGroup("follows", help="Follows and the weekly digest.")


@follows_cli.command("digest")
def digest_now() -> None:
    """Plan this week's digest of everyone not yet sent one (each person once a week)."""
    from booking.follows.jobs import run_weekly_digest

    planned = run_weekly_digest(now_utc())
    click.echo(f"digests planned: {planned}")
