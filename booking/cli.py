"""Flask commands (a contract: see ARCHITECTURE.md). Each command is one `unit_of_work()`.

`users import` is the exception: the importer commits per chunk, by design, so a large file
takes minutes and a rejected row never stops the others (see accounts/importer.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from booking.timefmt import now_utc
from booking.unit_of_work import unit_of_work

demo_cli = AppGroup("demo", help="Demo data.")
users_cli = AppGroup("users", help="Accounts.")
scheduler_cli = AppGroup("scheduler", help="The notification scheduler.")
notifications_cli = AppGroup("notifications", help="The outbox.")


@demo_cli.command("load")
@click.option("--file", "path", type=click.Path(exists=True, path_type=Path), default=None)
def demo_load(path: Path | None) -> None:
    """Load the chamber's structure, demo accounts and upcoming events (idempotent)."""
    from sqlalchemy import func, select

    from booking.demo import DEMO_PASSWORD, load
    from booking.extensions import db
    from booking.notifications.dispatcher import summary_line
    from booking.notifications.models import OutboxMessage

    with unit_of_work():
        before = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
        result = load(now_utc(), path)
        planned = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.id > before).order_by(OutboxMessage.id)
        ).all()
        mails = [summary_line(m) for m in planned]
    # The mails first, by when they fall due, so the logins stay on screen at the end.
    click.echo(f"Mail planned by this load: {len(mails)} (due time, to, subject):")
    for line in sorted(mails):
        click.echo(f"  {line}")
    counts = ", ".join(f"{k} {v}" for k, v in result["counts"].items())
    click.echo(f"Loaded: {counts}")
    click.echo(f"Demo logins (password: {DEMO_PASSWORD}; README.md says what each may do):")
    for email, role in result["logins"]:
        click.echo(f"  {role:8} {email}")


@users_cli.command("create")
@click.argument("email")
@click.option("--password", required=True)
@click.option("--role", type=click.Choice(["member", "guest", "staff", "advisor", "admin"]),
              default="member")  # fmt: skip
@click.option("--name", default="", help="family and given name, separated by a space")
@click.option("--company", default="")
@click.option("--member-no", default="")
@click.option("--branch", default="", help="branch slug, e.g. chiyoda")
def users_create(email, password, role, name, company, member_no, branch) -> None:
    """Create an account."""
    from booking.accounts.admin import create_account
    from booking.errors import DomainError

    try:
        with unit_of_work():
            user = create_account(
                email, password, role, name, company, member_no, branch, now_utc()
            )
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from exc
    click.echo(f"created {user.role} {user.email} (id {user.id})")


@users_cli.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--invite", is_flag=True, help="mail each new account a link to set a password")
def users_import(csv_file: Path, invite: bool) -> None:
    """Create or update accounts and companies from the membership system's CSV."""
    from booking.accounts.importer import decode_csv, import_users

    text = decode_csv(csv_file.read_bytes())
    total = max(text.count("\n") - 1, 0)
    with click.progressbar(length=total, label="importing", file=sys.stderr) as bar:
        try:
            report = import_users(text, now_utc(), invite=invite, progress=bar.update)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(
        f"created {report.created}, updated {report.updated}, rejected {len(report.rejected)}"
    )
    for line, reason in report.rejected:
        click.echo(f"  line {line}: {reason}")


@users_cli.command("token")
@click.argument("emails", nargs=-1, required=True)
def users_token(emails: tuple[str, ...]) -> None:
    """Print one new API token per account, in the given order, and nothing else."""
    from booking.accounts.services import issue_api_token, user_by_email

    users = [user_by_email(e) for e in emails]
    missing = [e for e, u in zip(emails, users, strict=True) if u is None]
    if missing:
        raise click.ClickException(f"no such account: {', '.join(missing)}")
    with unit_of_work():
        tokens = [issue_api_token(u) for u in users]
    for token in tokens:
        click.echo(token)


@scheduler_cli.command("run")
def scheduler_run() -> None:
    """Run the notification dispatcher in the foreground until SIGTERM."""
    from flask import current_app

    from booking.scheduler import run_foreground

    run_foreground(current_app._get_current_object())


@notifications_cli.command("dispatch")
def notifications_dispatch() -> None:
    """One dispatch pass (for cron)."""
    from booking.notifications.dispatcher import dispatch_due

    sent = dispatch_due()
    click.echo(f"sent {sent}")


def register(app: Flask) -> None:
    for group in (demo_cli, users_cli, scheduler_cli, notifications_cli):
        app.cli.add_command(group)
