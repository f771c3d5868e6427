"""Mail backends: smtp, file (.eml under instance/mail/), console, memory (tests)."""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

# Messages sent by the `memory` backend, for tests of what would have gone out.
outbox_memory: list[EmailMessage] = []


class PermanentMailError(Exception):
    """The server refused the recipient: retrying will not help."""


def send(message: EmailMessage) -> None:
    """Deliver one message with the configured backend.

    :raises PermanentMailError: the recipient was refused.
    :raises OSError | smtplib.SMTPException: a transient failure; try again later.
    """
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "smtp":
        _send_smtp(message)
    elif backend == "file":
        folder = Path(current_app.instance_path) / "mail"
        folder.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").split("@")[0].replace("/", "_")
        (folder / f"{name}.eml").write_bytes(bytes(message))
    elif backend == "memory":
        outbox_memory.append(message)
    else:
        sys.stdout.write(message.as_string() + "\n" + "-" * 72 + "\n")
        sys.stdout.flush()


def _send_smtp(message: EmailMessage) -> None:
    cfg = current_app.config
    cls = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
    with cls(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=30) as smtp:
        if cfg["MAIL_USE_TLS"] and not cfg["MAIL_USE_SSL"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        try:
            smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentMailError(str(exc)) from exc
