"""Mail backends: smtp, file (.eml under instance/mail/), console, memory (tests).

A dispatch pass opens one `Connection` and sends every message of the pass through it, so
the SMTP backend logs in once per pass rather than once per message.
"""

from __future__ import annotations

import smtplib
import sys
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from flask import current_app

# Messages sent by the `memory` backend, for tests of what would have gone out.
outbox_memory: list[EmailMessage] = []


class PermanentMailError(Exception):
    """The address is invalid or the server refused it for good: retrying will not help."""


def check_address(address: str) -> None:
    """:raises PermanentMailError: not a deliverable-looking address (checked before SMTP)."""
    try:
        validate_email(address or "", check_deliverability=False)
    except EmailNotValidError as exc:
        raise PermanentMailError(f"invalid recipient address {address!r}: {exc}") from exc


class _BeforeData:
    """smtplib's `sendmail`, with a hook run once the envelope is accepted, before DATA: the
    message is not delivered until its data ends, so whatever must precede a delivery (the
    previous message's "sent" mark) may overlap the MAIL and RCPT round trips."""

    before_data = None

    def data(self, msg):
        hook, self.before_data = self.before_data, None
        if hook is not None:
            hook()
        return super().data(msg)


class _SMTP(_BeforeData, smtplib.SMTP):
    pass


class _SMTP_SSL(_BeforeData, smtplib.SMTP_SSL):
    pass


class Connection:
    """One backend session; `send` may be called many times. Use as a context manager."""

    def __init__(self, app=None):
        self.cfg = (app or current_app).config
        self.backend = self.cfg["MAIL_BACKEND"]
        self.instance_path = (app or current_app).instance_path
        self._smtp: smtplib.SMTP | None = None
        # Run before each message can be delivered (the dispatcher waits there for the
        # previous message's "sent" mark); over SMTP, after MAIL and RCPT, before DATA.
        self.before_data = None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    def send(self, message: Message) -> None:
        """Deliver one message.

        :raises PermanentMailError: the recipient is invalid or was refused with a 5xx.
        :raises OSError | smtplib.SMTPException: a transient failure; try again later.
        """
        for _name, address in getaddresses(message.get_all("To", [])):
            check_address(address)  # cheap (a few µs); saves a round trip for a typo
        if self.backend == "smtp":
            self._send_smtp(message)
            return
        if self.before_data is not None:
            self.before_data()
        if self.backend == "file":
            folder = Path(self.instance_path) / "mail"
            folder.mkdir(parents=True, exist_ok=True)
            name = message["Message-ID"].strip("<>").split("@")[0].replace("/", "_")
            (folder / f"{name}.eml").write_bytes(bytes(message))
        elif self.backend == "memory":  # kept as a reader would parse it off the wire
            outbox_memory.append(message_from_bytes(message.as_bytes(), policy=policy.default))
        else:
            sys.stdout.write(readable(message) + "\n" + "-" * 72 + "\n")
            sys.stdout.flush()

    def _connect(self) -> smtplib.SMTP:
        cfg = self.cfg
        cls = _SMTP_SSL if cfg["MAIL_USE_SSL"] else _SMTP
        smtp = cls(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg.get("MAIL_TIMEOUT", 30))
        try:
            if cfg["MAIL_USE_TLS"] and not cfg["MAIL_USE_SSL"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _send_smtp(self, message: Message) -> None:
        fresh = self._smtp is None
        if fresh:
            self._smtp = self._connect()
        try:
            self._deliver(message)
        except smtplib.SMTPServerDisconnected:
            # A server may drop a connection that waited between passes: reconnect once.
            if fresh:
                raise
            self._smtp = self._connect()
            self._deliver(message)

    def _deliver(self, message: Message) -> None:
        smtp = self._smtp
        smtp.before_data = self.before_data
        try:
            smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            # smtplib has reset the transaction: the connection stays usable.
            codes = [code for code, _msg in exc.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                raise PermanentMailError(f"recipient refused: {_describe(exc.recipients)}") from exc
            raise
        except smtplib.SMTPDataError as exc:
            if exc.smtp_code >= 500:
                raise PermanentMailError(
                    f"message refused: {exc.smtp_code} {exc.smtp_error!r}"
                ) from exc
            self._drop()
            raise
        except (OSError, smtplib.SMTPException):
            self._drop()
            raise
        finally:
            smtp.before_data = None

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None


def readable(message: Message) -> str:
    """A mail as a developer wants it on the console: decoded headers and the text part, its
    links on lines of their own (so a terminal makes them clickable), attachments by name."""
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    lines = [f"{name}: {parsed[name]}" for name in ("Date", "From", "To", "Reply-To", "Subject")
             if parsed[name]]  # fmt: skip
    text = parsed.get_body(("plain",))
    lines += ["", text.get_content().rstrip() if text is not None else "(no text part)"]
    names = [part.get_filename() or part.get_content_type() for part in parsed.iter_attachments()]
    if names:
        lines += ["", "Attached: " + ", ".join(names)]
    return "\n".join(lines)


def _describe(refused: dict) -> str:
    return "; ".join(
        f"{rcpt} {code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
        for rcpt, (code, msg) in refused.items()
    )


def send(message: Message) -> None:
    """Deliver one message on a connection of its own (see `Connection`)."""
    with Connection() as connection:
        connection.send(message)
