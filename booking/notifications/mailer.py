"""Mail backends: smtp, file (.eml under instance/mail/), console, memory (tests).

A dispatch pass opens one `Connection` and sends every message of the pass through it, so
the SMTP backend logs in once per pass rather than once per message.
"""

from __future__ import annotations

import re
import smtplib
import socket
import sys
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from flask import current_app

from booking.notifications.wire import Prepared, plain_address

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
    """smtplib's `sendmail`, with a hook run before the message's data is ended: a message is
    not delivered until the server has its final "." (without it, the server drops what it
    has when the connection goes), so whatever must precede a delivery (the previous
    message's "sent" mark) may overlap the MAIL, RCPT and DATA round trips and the sending of
    the data itself. If the hook fails, the connection is closed with the data unended.

    `before_data_ready` (optional) says whether the hook would return at once: then the data
    and its final line go out together, one write (and one read for the server) instead of
    two; otherwise the data goes first and the wait overlaps it."""

    before_data = None
    before_data_ready = None

    def data(self, msg):
        hook, self.before_data = self.before_data, None
        ready, self.before_data_ready = self.before_data_ready, None
        if hook is None:
            return super().data(msg)
        # smtplib's `data`, with the hook between the data and its final line.
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if isinstance(msg, str):
            msg = msg.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
            msg = msg.encode("ascii")
        data = msg
        if msg.startswith(b".") or b"\n." in msg:  # the regex only where it has work to do
            data = _DOT_AT_LINE_START.sub(b"..", msg)
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        if ready is None or not ready():
            self.send(data)  # the wait overlaps the data's way to the server
            data = b""
        try:
            hook()
        except BaseException:
            self.close()  # not QUIT: inside DATA that would be taken as more of the message
            raise
        self.send(data + b".\r\n")
        return self.getreply()


# RFC 5321 4.5.2 transparency, as smtplib quotes: a line starting with "." gets another.
_DOT_AT_LINE_START = re.compile(rb"(?m)^\.")


class _PlainAddresses:
    """smtplib's MAIL and RCPT, without parsing a bare address to quote it (~60 µs each)."""

    def mail(self, sender, options=()):
        if not plain_address(sender) or any(o.lower() == "smtputf8" for o in options):
            return super().mail(sender, options)
        extra = " " + " ".join(options) if options and self.does_esmtp else ""
        self.putcmd("mail", f"FROM:<{sender}>{extra}")
        return self.getreply()

    def rcpt(self, recip, options=()):
        if not plain_address(recip):
            return super().rcpt(recip, options)
        extra = " " + " ".join(options) if options and self.does_esmtp else ""
        self.putcmd("rcpt", f"TO:<{recip}>{extra}")
        return self.getreply()


class _SMTP(_BeforeData, _PlainAddresses, smtplib.SMTP):
    pass


class _SMTP_SSL(_BeforeData, _PlainAddresses, smtplib.SMTP_SSL):
    pass


class Connection:
    """One backend session; `send` may be called many times. Use as a context manager."""

    def __init__(self, app=None):
        self.cfg = (app or current_app).config
        self.backend = self.cfg["MAIL_BACKEND"]
        self.instance_path = (app or current_app).instance_path
        self._smtp: smtplib.SMTP | None = None
        # Run before each message can be delivered (the dispatcher waits there for the
        # previous message's "sent" mark); over SMTP, after its data, before the final ".".
        self.before_data = None
        # Optional: whether `before_data` would return at once (see `_BeforeData`).
        self.before_data_ready = None

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

    def send(self, message: Message | Prepared) -> None:
        """Deliver one message (as it is, or `prepare`d).

        :raises PermanentMailError: the recipient is invalid or was refused with a 5xx.
        :raises OSError | smtplib.SMTPException: a transient failure; try again later.
        """
        prepared = message if isinstance(message, Prepared) else None
        if prepared is not None:
            message = prepared.message
        # Cheap (a few µs); saves a round trip for a typo.
        if prepared is not None:
            for address in prepared.recipients:
                check_address(address)
        else:
            for _name, address in getaddresses(message.get_all("To", [])):
                check_address(address)
        if self.backend == "smtp":
            self._send_smtp(message, prepared)
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
            # The final "." goes out on its own after the data (see `_BeforeData`): without
            # this, Nagle's algorithm holds it until the server's delayed ACK (~40 ms).
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if cfg["MAIL_USE_TLS"] and not cfg["MAIL_USE_SSL"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _send_smtp(self, message: Message, prepared: Prepared | None) -> None:
        fresh = self._smtp is None
        if fresh:
            self._smtp = self._connect()
        try:
            self._deliver(message, prepared)
        except smtplib.SMTPServerDisconnected:
            # A server may drop a connection that waited between passes: reconnect once.
            if fresh:
                raise
            self._smtp = self._connect()
            self._deliver(message, prepared)

    def _deliver(self, message: Message, prepared: Prepared | None) -> None:
        smtp = self._smtp
        smtp.before_data = self.before_data
        smtp.before_data_ready = self.before_data_ready
        try:
            if prepared is not None:
                smtp.sendmail(prepared.sender, list(prepared.recipients), prepared.data)
            else:
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
            smtp.before_data = smtp.before_data_ready = None

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
